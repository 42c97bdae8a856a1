/**
 * What the scenarios need from the benchmark database before a server starts: lookup codes,
 * the largest office, the export year's size, and fresh offices with officers and API tokens
 * for intake (so the server's cache of offices already knows them).
 */
import { createHash, randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { lookupKeyMatches } from '../src/dossiers/record/dossier-code.js';
import { addDays, localDateOf } from '../src/lib/vietnam-time.js';
import { BENCH_LOOKUP_KEY, BENCH_SECRET } from './generate.js';

export interface BenchData {
  dossiers: number;
  events: number;
  /** Codes of generated dossiers (their lookup key is BENCH_LOOKUP_KEY). */
  codes: string[];
  districtId: number;
  /** Dossiers of the largest office in the export's range. */
  exportRows: number;
  procedureDocs: string[];
}

export function readBenchData(file: string, exportDays: number): BenchData {
  const db = new SQLite(file, { readonly: true });
  const dossiers = (db.prepare('select count(*) as n from dossiers').get() as { n: number }).n;
  const events = (db.prepare('select count(*) as n from dossier_events').get() as { n: number }).n;
  // Only generated dossiers (lookup key BENCH_LOOKUP_KEY): dossiers filed by an earlier run's
  // intake scenario have random keys and would answer 404 (the errors of earlier tables).
  const step = Math.max(7, Math.floor(dossiers / 1100)) | 1;
  const codes = (
    db
      .prepare(`select code, lookup_key_hash from dossiers where id % ${step} = 0 limit 1100`)
      .all() as { code: string; lookup_key_hash: string }[]
  )
    .filter((r) => lookupKeyMatches(BENCH_SECRET, r.code, BENCH_LOOKUP_KEY, r.lookup_key_hash))
    .slice(0, 1000)
    .map((r) => r.code);
  const district = db.prepare("select id from offices where code = '000.00.13.H40'").get() as {
    id: number;
  };
  const exportRows = (
    db
      .prepare('select count(*) as n from dossiers where office_id = ? and received_on >= ?')
      .get(district.id, addDays(localDateOf(new Date()), -(exportDays - 1))) as { n: number }
  ).n;
  const procedureDocs = (
    db
      .prepare(
        "select d.id from procedure_documents d join procedures p on p.id = d.procedure_id where p.code = '2.000200'",
      )
      .all() as { id: number }[]
  ).map((r) => String(r.id));
  db.close();
  return { dossiers, events, codes, districtId: district.id, exportRows, procedureDocs };
}

/**
 * Fresh offices, one officer and API token each, to file intakes into round robin: a 4-digit
 * daily sequence holds 9,999 codes per office and day, which one office would exhaust within
 * the scenario at 1,000 intakes/s (409s, which the first run at that speed showed).
 */
export function intakeTokens(file: string, scenario: string, offices = 4): string[] {
  const rw = new SQLite(file);
  const stamp = `${Date.now()}.${scenario}`;
  const template = rw
    .prepare("select password_hash from accounts where username = 'canbo'")
    .get() as { password_hash: string };
  const tokens: string[] = [];
  for (let i = 0; i < offices; i++) {
    const now = new Date().toISOString();
    const officeId = Number(
      rw
        .prepare(
          "insert into offices (code, name, short_name, address, phone, parent_id, valid_from, created_at) values (?, ?, 'Bench', '', '', null, '2020-01-01', ?)",
        )
        .run(`BENCH.${stamp}.${i}`, `Bench ${stamp} ${i}`, now).lastInsertRowid,
    );
    const accountId = Number(
      rw
        .prepare(
          "insert into accounts (username, full_name, role, office_id, password_hash, failed_logins, active, created_at, updated_at) values (?, 'Cán bộ thử tải', 'officer', ?, ?, 0, 1, ?, ?)",
        )
        .run(`bench.${stamp}.${i}`, officeId, template.password_hash, now, now).lastInsertRowid,
    );
    const token = `mc_${randomBytes(24).toString('base64url')}`;
    rw.prepare(
      "insert into api_tokens (account_id, name, token_hash, created_at) values (?, 'bench', ?, ?)",
    ).run(accountId, createHash('sha256').update(token).digest('hex'), now);
    tokens.push(token);
  }
  rw.close();
  return tokens;
}
