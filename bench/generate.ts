/**
 * Generates a realistic synthetic database for the benchmark: 20 offices, every procedure,
 * 1,000,000 dossiers over three years with their documents, events (hash-chained), outcomes and
 * ratings. Speed matters here (minutes, not hours), so rows go in through prepared statements
 * in large transactions; the schema, the due dates (the real calendar code) and the hash chains
 * are the app's own, so the server reads this database exactly as one it wrote itself.
 *
 * Usage: tsx bench/generate.ts <file> [dossiers]
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { dossierEventHash } from '../src/audit/event-hash.js';
import { computeDueDate, WorkingCalendar } from '../src/calendar/working-days.js';
import { configureSqlite, createDb } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { codeDay, formatDossierCode } from '../src/dossiers/record/dossier-code.js';
import { classifyOutcome } from '../src/dossiers/record/dossier-status.js';
import { hashLookupKey } from '../src/dossiers/record/dossier-code.js';
import { foldVietnamese } from '../src/lib/fold.js';
import { addDays, instantAtLocal, localDateOf } from '../src/lib/vietnam-time.js';
import { seedDatabase } from '../seeds/index.js';

export const BENCH_LOOKUP_KEY = 'BENCH7';
/** The server secret the benchmark runs with (it keys the stored lookup-key hashes). */
export const BENCH_SECRET = 'b'.repeat(48);
export const BENCH_OFFICES = 20;

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Hồng'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dung',
  'Giang',
  'Hạnh',
  'Khánh',
  'Lan',
  'Mai',
  'Nam',
  'Phương',
  'Quân',
  'Sơn',
  'Tâm',
  'Yến',
];

function prng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
  };
}

export async function generateBenchDatabase(
  file: string,
  total: number,
  log: (msg: string) => void = console.log,
): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  const sqlite = new SQLite(file);
  configureSqlite(sqlite);
  sqlite.pragma('synchronous = OFF'); // generation only: a crash here just means generating again
  const db = createDb(sqlite);
  await migrateToLatest(db);
  await seedDatabase(db, { now: new Date('2024-01-01T00:00:00Z'), demoAccounts: true });
  await db.destroy();

  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const random = prng(42);
  const now = new Date().toISOString();
  const district = raw.prepare("select id from offices where code = '000.00.13.H40'").get() as {
    id: number;
  };
  const insertOffice = raw.prepare(
    'insert into offices (code, name, short_name, address, phone, parent_id, valid_from, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const existing = (raw.prepare('select count(*) as n from offices').get() as { n: number }).n;
  for (let i = existing; i < BENCH_OFFICES; i++) {
    insertOffice.run(
      `000.${20 + i}.10.H35`,
      `Công an xã Thử Nghiệm ${i}`,
      `CA TN ${i}`,
      'Lý Nhân, Hà Nam',
      '0226 000 000',
      district.id,
      '2020-01-01',
      now,
    );
  }
  const offices = raw.prepare('select id, code from offices order by id').all() as {
    id: number;
    code: string;
  }[];
  const officer = raw
    .prepare("select id, full_name from accounts where username = 'canbo'")
    .get() as { id: number; full_name: string };
  const procedures = raw
    .prepare('select id, code, name, report_group, processing_days from procedures')
    .all() as {
    id: number;
    code: string;
    name: string;
    report_group: string;
    processing_days: number;
  }[];
  const documents = raw
    .prepare(
      'select procedure_id, id, name, required, copy_kind, quantity, position from procedure_documents order by procedure_id, position',
    )
    .all() as {
    procedure_id: number;
    id: number;
    name: string;
    required: number;
    copy_kind: string;
    quantity: number;
    position: number;
  }[];
  const calendar = new WorkingCalendar(
    raw.prepare('select day, kind, name from calendar_days').all() as never[],
  );
  const rules = { closingTime: '17:00', sameDayCutoffTime: '15:00' };

  const insertDossier =
    raw.prepare(`insert into dossiers (code, lookup_key_hash, office_id, procedure_id, procedure_code, procedure_name, report_group, processing_days,
    intake_outcome, status, applicant_name, applicant_name_folded, personal_id, birth_date, sex, phone, address, note, received_at, received_on, received_by,
    due_on, due_at, due_explanation, result_at, result_on, outcome, returned_at, returned_to, closed_at, version, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, 'accepted', ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertDocument = raw.prepare(
    'insert into dossier_documents (dossier_id, procedure_document_id, name, required, copy_kind, quantity, received, position) values (?, ?, ?, ?, ?, ?, 1, ?)',
  );
  const insertEvent = raw.prepare(
    'insert into dossier_events (id, dossier_id, at, actor_account_id, actor_name, action, from_status, to_status, note, details, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertRating = raw.prepare(
    "insert into ratings (dossier_id, level, comment, at) values (?, ?, '', ?)",
  );
  const upsertSequence = raw.prepare(
    'insert into code_sequences (office_id, day, last_number) values (?, ?, ?) on conflict (office_id, day) do update set last_number = excluded.last_number',
  );

  const today = localDateOf(new Date());
  const firstDay = addDays(today, -3 * 365);
  const workingDays: string[] = [];
  for (let d = firstDay; d < today; d = addDays(d, 1))
    if (calendar.isWorkingDay(d)) workingDays.push(d);
  const perDay = Math.ceil(total / workingDays.length);
  log(
    `generating ${total} dossiers over ${workingDays.length} working days in ${offices.length} offices…`,
  );

  let eventId = 0;
  let made = 0;
  const started = Date.now();
  const batch = raw.transaction((days: string[]) => {
    for (const day of days) {
      const sequences = new Map<number, number>();
      for (let i = 0; i < perDay && made < total; i++, made++) {
        // The district office takes a larger share: it is the "largest office" of the exports.
        const office = random(4) === 0 ? offices[0]! : offices[random(offices.length)]!;
        const procedure = procedures[random(procedures.length)]!;
        const seq = (sequences.get(office.id) ?? 0) + 1;
        sequences.set(office.id, seq);
        const receivedAt = instantAtLocal(
          day,
          `${String(7 + random(10)).padStart(2, '0')}:${String(random(60)).padStart(2, '0')}`,
        );
        const code = formatDossierCode(office.code, day, seq);
        const due = computeDueDate(calendar, receivedAt, procedure.processing_days, rules);
        const name = `${FAMILY[random(FAMILY.length)]} ${MIDDLE[random(MIDDLE.length)]} ${GIVEN[random(GIVEN.length)]}`;
        const ageYears = 18 + random(60);
        const birthYear = Number(day.slice(0, 4)) - ageYears;
        const male = random(2) === 0;
        const personalId = `035${(Math.floor(birthYear / 100) - 19) * 2 + (male ? 0 : 1)}${String(birthYear % 100).padStart(2, '0')}${String(random(1_000_000)).padStart(6, '0')}`;
        const recent = day >= addDays(today, -12);
        // Most dossiers are done: result within the deadline (a few late), then returned.
        const fate = random(100);
        let status = 'returned';
        let resultAt: string | null = null;
        let resultOn: string | null = null;
        let returnedAt: string | null = null;
        let outcome: string | null = null;
        let closedAt: string | null = null;
        if (!(recent && fate < 40)) {
          const lateBy = fate < 4 ? 1 + random(3) : 0;
          const resultDay = lateBy
            ? calendar.addWorkingDays(due.dueOn, lateBy)
            : procedure.processing_days > 0 && fate > 60
              ? calendar.addWorkingDays(due.receivedOn, Math.max(1, procedure.processing_days - 1))
              : due.dueOn;
          resultAt = instantAtLocal(resultDay, '15:30').toISOString();
          resultOn = resultDay;
          outcome = classifyOutcome(resultDay, due.dueOn, false);
          if (resultAt > new Date().toISOString()) {
            resultAt = null;
            resultOn = null;
            outcome = null;
            status = 'processing';
          } else if (recent && fate < 55) status = 'result_ready';
          else {
            returnedAt = instantAtLocal(
              calendar.addWorkingDays(resultDay, random(2)),
              '09:15',
            ).toISOString();
            if (returnedAt > new Date().toISOString()) {
              returnedAt = null;
              status = 'result_ready';
            } else closedAt = returnedAt;
          }
        } else status = fate < 5 ? 'supplement_requested' : 'processing';
        const info = insertDossier.run(
          code,
          hashLookupKey(BENCH_SECRET, code, BENCH_LOOKUP_KEY),
          office.id,
          procedure.id,
          procedure.code,
          procedure.name,
          procedure.report_group,
          procedure.processing_days,
          status,
          name,
          foldVietnamese(name),
          personalId,
          `${birthYear}-0${1 + random(9)}-1${random(9)}`,
          male ? 'male' : 'female',
          `091${String(random(10_000_000)).padStart(7, '0')}`,
          `Thôn ${1 + random(9)}, Lý Nhân, Hà Nam`,
          receivedAt.toISOString(),
          day,
          officer.id,
          due.dueOn,
          due.dueAt.toISOString(),
          resultAt,
          resultOn,
          outcome,
          returnedAt,
          returnedAt ? name : null,
          closedAt,
          1,
          receivedAt.toISOString(),
          receivedAt.toISOString(),
        );
        const dossierId = Number(info.lastInsertRowid);
        let docCount = 0;
        for (const d of documents) {
          if (d.procedure_id !== procedure.id || docCount >= 2) continue;
          insertDocument.run(
            dossierId,
            d.id,
            d.name,
            d.required,
            d.copy_kind,
            d.quantity,
            d.position,
          );
          docCount++;
        }
        let prev = '';
        const event = (at: string, action: string, from: string | null, to: string) => {
          const content = {
            id: ++eventId,
            dossier_id: dossierId,
            at,
            actor_account_id: officer.id,
            actor_name: officer.full_name,
            action,
            from_status: from,
            to_status: to,
            note: '',
            details: '{}',
          };
          const hash = dossierEventHash(content, prev);
          insertEvent.run(
            content.id,
            dossierId,
            at,
            officer.id,
            officer.full_name,
            action,
            from,
            to,
            '',
            '{}',
            prev,
            hash,
          );
          prev = hash;
        };
        event(receivedAt.toISOString(), 'received', null, 'received');
        if (status !== 'received')
          event(
            new Date(receivedAt.getTime() + 3_600_000).toISOString(),
            'start_processing',
            'received',
            'processing',
          );
        if (resultAt) event(resultAt, 'mark_result_ready', 'processing', 'result_ready');
        if (returnedAt) {
          event(returnedAt, 'return_result', 'result_ready', 'returned');
          if (random(10) < 3)
            insertRating.run(
              dossierId,
              ['very_satisfied', 'satisfied', 'very_satisfied', 'unsatisfied'][random(4)],
              returnedAt,
            );
        }
      }
      for (const [officeId, last] of sequences) upsertSequence.run(officeId, codeDay(day), last);
    }
  });
  for (let i = 0; i < workingDays.length && made < total; i += 20) {
    batch(workingDays.slice(i, i + 20));
    if (i % 200 === 0)
      log(`  ${made} dossiers (${Math.round(made / ((Date.now() - started) / 1000))}/s)`);
  }
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.exec('analyze');
  raw.close();
  log(
    `generated ${made} dossiers and ${eventId} events in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file = 'bench/data/bench.db', count = '1000000'] = process.argv.slice(2);
  await generateBenchDatabase(file, Number(count));
}
