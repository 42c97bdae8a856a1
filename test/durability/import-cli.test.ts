import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDatabase } from '../../seeds/index.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const HEADING = 'Mã hồ sơ,Mã thủ tục,Người nộp,Số định danh,Địa chỉ,Ngày nhận,Ngày có kết quả,Ngày trả';

let dir: string;
let dbFile: string;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'motcua-import-cli-'));
  dbFile = path.join(dir, 'motcua.db');
  const sqlite = new SQLite(dbFile);
  configureSqlite(sqlite);
  const db = createDb(sqlite);
  await migrateToLatest(db);
  await seedDatabase(db, { now: new Date('2026-01-01T00:00:00Z'), demoAccounts: true });
  await db.destroy();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/imports/import-cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: `file:${dbFile}`, SEED_DEMO_DOSSIERS: 'false' },
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

const count = () => {
  const sqlite = new SQLite(dbFile, { readonly: true });
  try {
    return (sqlite.prepare('select count(*) as n from dossiers').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
};

describe('npm run import', () => {
  it('checks, imports a clean file once, and refuses a file with bad rows', async () => {
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, `${HEADING}\n,2.000200,Trần Thị Bình,035190001234,Thôn 1,02/03/2026 08:00,06/03/2026,09/03/2026\n,1.004194,Lê Văn Cường,035090001235,Thôn 2,03/03/2026 09:00,,\n`);
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, `${HEADING}\n,2.000200,Trần Thị Bình,035190001234,Thôn 1,02/03/2026 08:00,,\n,9.9,Lê Văn Cường,035090001235,Thôn 2,03/03/2026,,\n`);

    expect((await cli(good)).code).toBe(2); // no --office
    expect((await cli(good, '--office', 'nope')).code).toBe(2);

    const checked = await cli(good, '--office', '000.00.13.H40', '--check');
    expect(checked.code).toBe(0);
    expect(checked.out).toContain('Kiểm tra: tệp hợp lệ.');
    expect(count()).toBe(0);

    const refused = await cli(bad, '--office', '000.00.13.H40');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Dòng 3: Mã thủ tục "9.9" không có trong danh mục thủ tục.');
    expect(count()).toBe(0);

    const imported = await cli(good, '--office', '000.00.13.H40', '--user', 'quantri');
    expect(imported.code, imported.out).toBe(0);
    expect(imported.out).toContain('Đã nhập 2 hồ sơ (tài khoản quantri)');
    expect(count()).toBe(2);

    const again = await cli(good, '--office', '000.00.13.H40');
    expect(again.code).toBe(0);
    expect(again.out).toContain('đã nhập trước đây: 2');
    expect(count()).toBe(2);
  });
});
