/**
 * The benchmark's PostgreSQL half: loads the generated SQLite database (1,000,000 dossiers) into
 * a throwaway PostgreSQL cluster with COPY, then runs the engine-comparison scenarios against one
 * and two server processes on it. Called by bench/run.ts, which puts the figures beside SQLite's.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createDb } from '../src/db/database.js';
import { createPostgresDb, createPostgresPool } from '../src/db/postgres.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { startPgCluster, type PgCluster } from '../test/support/pg-cluster.js';

/** Tables in an order that satisfies their foreign keys (checks are off during the load anyway). */
const TABLES = [
  'offices', 'report_groups', 'procedures', 'procedure_documents', 'calendar_days', 'calendar_years', 'calendar_rules',
  'accounts', 'api_tokens', 'sessions', 'login_attempts', 'audit_events', 'access_events', 'imports',
  'dossiers', 'dossier_documents', 'dossier_events', 'code_sequences', 'lookup_events', 'ratings',
  'report_daily', 'report_monthly', 'rate_limit_windows', 'master_data_version',
];
const SERIAL_TABLES = ['offices', 'procedures', 'procedure_documents', 'accounts', 'api_tokens', 'audit_events', 'access_events', 'imports', 'dossiers', 'dossier_documents', 'dossier_events', 'lookup_events', 'ratings'];

/** A value in COPY's text format. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export interface PostgresLoad {
  cluster: PgCluster;
  url: string;
  seconds: number;
  rows: number;
}

export async function loadIntoPostgres(sqliteFile: string, log: (m: string) => void = console.log): Promise<PostgresLoad> {
  const cluster = await startPgCluster({ maxConnections: 200, sharedBuffers: '1GB' });
  const started = Date.now();
  const db = createPostgresDb(createPostgresPool({ url: cluster.url, poolSize: 2 }));
  await migrateToLatest(db);
  await db.destroy();
  // Schema migrations of the SQLite file first, so both have the same columns.
  const migrating = createDb(new SQLite(sqliteFile));
  await migrateToLatest(migrating);
  await migrating.destroy();

  const source = new SQLite(sqliteFile, { readonly: true });
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  // Triggers and foreign-key checks off for the bulk load (superuser of a throwaway cluster):
  // the report tables are copied as SQLite computed them.
  await client.query('set session_replication_role = replica');
  await client.query(`truncate ${TABLES.join(', ')}`);
  let rows = 0;
  for (const table of TABLES) {
    const columns = (source.prepare(`select name from pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name);
    const statement = source.prepare(`select ${columns.map((c) => `"${c}"`).join(', ')} from ${table}`).raw(true);
    const lines = (function* () {
      let chunk: string[] = [];
      for (const row of statement.iterate() as Iterable<unknown[]>) {
        chunk.push(`${row.map(copyValue).join('\t')}\n`);
        if (chunk.length >= 5_000) {
          yield chunk.join('');
          chunk = [];
        }
        rows++;
      }
      if (chunk.length) yield chunk.join('');
    })();
    await pipeline(Readable.from(lines), client.query(copyFrom(`copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`)));
  }
  for (const table of SERIAL_TABLES) {
    await client.query(`select setval(pg_get_serial_sequence('${table}', 'id'), greatest(1, (select coalesce(max(id), 0) from ${table})))`);
  }
  await client.query('set session_replication_role = origin');
  // As after any bulk load or restore: statistics, and the visibility map that lets the open-dossier
  // counts read their covering index alone (measured: 24 ms → 8 ms for one such count).
  await client.query('vacuum (analyze)');
  await client.end();
  source.close();
  const seconds = (Date.now() - started) / 1000;
  log(`loaded ${rows} rows into PostgreSQL in ${seconds.toFixed(0)} s`);
  return { cluster, url: cluster.url, seconds, rows };
}
