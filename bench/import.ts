import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { configureSqlite, createDb } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDatabase } from '../seeds/index.js';

/**
 * Scenario (h): importing a 100,000-row tracking book through `npm run import` (the same service
 * as the admin page) into a fresh installation, as CSV and as XLSX, then the same CSV again
 * (which must add nothing). Each run is its own process, so its peak RSS is the import's own.
 */
const run = promisify(execFile);
const DEFAULT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const DIR = path.resolve('bench/data');
const HEADING = [
  'STT',
  'Mã hồ sơ',
  'Mã thủ tục',
  'Người nộp',
  'Số định danh',
  'Điện thoại',
  'Địa chỉ',
  'Ngày nhận',
  'Ngày hẹn trả',
  'Ngày có kết quả',
  'Ngày trả',
  'Trạng thái',
  'Ghi chú',
];
const PROCEDURES = ['2.000200', '1.004194', '1.004222', '2.001159', '1.003211'];
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đỗ', 'Bùi'];
const GIVEN = [
  'Văn An',
  'Thị Bình',
  'Văn Cường',
  'Thị Dung',
  'Đức Em',
  'Thị Giang',
  'Minh Hải',
  'Thu Hằng',
];

export interface ImportFigure {
  name: string;
  rows: number;
  seconds: number;
  peakMb: number;
  imported: number;
}

function pad(n: number, width = 2) {
  return String(n).padStart(width, '0');
}

/** Deterministic pseudo-random rows: a few years of a district's book, mostly returned. */
function* bookRows(count: number, procedures: string[]): Generator<string[]> {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const start = Date.UTC(2024, 0, 2);
  const span = Date.UTC(2026, 9, 30) - start;
  for (let i = 1; i <= count; i++) {
    const received = new Date(start + Math.floor((span * i) / count));
    const day = received.getUTCDay();
    if (day === 0) received.setUTCDate(received.getUTCDate() + 1);
    if (day === 6) received.setUTCDate(received.getUTCDate() + 2);
    const dmy = (d: Date) =>
      `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
    const receivedText = `${dmy(received)} ${pad(7 + rnd(9))}:${pad(rnd(60))}`;
    const done = rnd(10) < 9;
    const result = new Date(received.getTime() + (2 + rnd(9)) * 86_400_000);
    const returned = new Date(result.getTime() + rnd(3) * 86_400_000);
    const year = 1950 + rnd(55);
    const female = rnd(2);
    const id = `035${(year >= 2000 ? 2 : 0) + female}${pad(year % 100)}${pad(rnd(1_000_000), 6)}`;
    yield [
      String(i),
      '',
      procedures[rnd(procedures.length)]!,
      `${SURNAMES[rnd(8)]} ${GIVEN[rnd(8)]}`,
      id,
      `091${pad(rnd(10_000_000), 7)}`,
      `Thôn ${1 + rnd(20)}, xã ${['Nhân Thịnh', 'Hòa Hậu', 'Bắc Lý'][rnd(3)]}`,
      receivedText,
      '',
      done ? dmy(result) : '',
      done ? dmy(returned) : '',
      done ? 'Đã trả kết quả' : 'Đang giải quyết',
      i % 50 === 0 ? 'Sổ năm cũ, nhập lại' : '',
    ];
  }
}

function csvLine(cells: string[]): string {
  return `${cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\r\n`;
}

async function writeCsv(file: string, procedures: string[], rows: number) {
  const out = fs.createWriteStream(file);
  out.write('\uFEFF');
  out.write(csvLine(['Sổ theo dõi hồ sơ (dữ liệu mẫu cho đo hiệu năng)']));
  out.write(csvLine(HEADING));
  for (const row of bookRows(rows, procedures))
    if (!out.write(csvLine(row))) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

async function writeXlsx(file: string, procedures: string[], rows: number) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Sổ theo dõi hồ sơ');
  sheet.addRow(HEADING).commit();
  for (const row of bookRows(rows, procedures)) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
}

async function freshDatabase(file: string) {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  const sqlite = new SQLite(file);
  configureSqlite(sqlite);
  const db = createDb(sqlite);
  await migrateToLatest(db);
  await seedDatabase(db, { now: new Date('2024-01-01T00:00:00Z'), demoAccounts: true });
  await db.destroy();
}

async function importOnce(
  name: string,
  dbFile: string,
  file: string,
  rows: number,
): Promise<ImportFigure> {
  // Exactly what an operator runs (package.json sets the heap limit the figure depends on).
  const { stdout } = await run(
    'npm',
    ['run', '--silent', 'import', '--', file, '--office', '000.00.13.H40', '--user', 'quantri'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: `file:${dbFile}`,
        SEED_DEMO_DOSSIERS: 'false',
      },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const figures = /Thời gian: ([\d.]+) s; bộ nhớ đỉnh: (\d+) MB/.exec(stdout);
  const imported = /Đã nhập (\d+) hồ sơ/.exec(stdout);
  if (!figures || !imported)
    throw new Error(`import did not finish cleanly:\n${stdout.slice(0, 2000)}`);
  return {
    name,
    rows,
    seconds: Number(figures[1]),
    peakMb: Number(figures[2]),
    imported: Number(imported[1]),
  };
}

export async function benchImport(rows = DEFAULT_ROWS): Promise<ImportFigure[]> {
  fs.mkdirSync(DIR, { recursive: true });
  const csv = path.join(DIR, `import-${rows}.csv`);
  const xlsx = path.join(DIR, `import-${rows}.xlsx`);
  const dbFile = path.join(DIR, 'import.db');
  await freshDatabase(dbFile);
  const catalog = new SQLite(dbFile, { readonly: true });
  const known = new Set(
    (catalog.prepare('select code from procedures').all() as { code: string }[]).map((r) => r.code),
  );
  catalog.close();
  const procedures = PROCEDURES.filter((p) => known.has(p));
  if (!fs.existsSync(csv)) await writeCsv(csv, procedures, rows);
  if (!fs.existsSync(xlsx)) await writeXlsx(xlsx, procedures, rows);

  const figures: ImportFigure[] = [];
  figures.push(
    await importOnce(
      `(h) import ${rows.toLocaleString('en-US')}-row CSV tracking book (npm run import)`,
      dbFile,
      csv,
      rows,
    ),
  );
  figures.push(await importOnce('(h) the same CSV again (adds nothing)', dbFile, csv, rows));
  await freshDatabase(dbFile);
  figures.push(
    await importOnce(
      `(h) import ${rows.toLocaleString('en-US')}-row XLSX tracking book`,
      dbFile,
      xlsx,
      rows,
    ),
  );
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${dbFile}${suffix}`, { force: true });
  return figures;
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  for (const f of await benchImport())
    console.log(
      `${f.name}: ${f.imported} imported in ${f.seconds} s (${Math.round(f.rows / f.seconds)} rows/s), peak RSS ${f.peakMb} MB`,
    );
}
