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

/**
 * Each bench server's pool of PostgreSQL connections (DATABASE_POOL_SIZE), unless BENCH_PG_POOL
 * says otherwise: sized to this machine as docs/OPERATIONS.md advises, a few connections per
 * core of the database server (here 2 cores, shared with the servers and the load generator): 4
 * a process, 8 with two. Until the seventeenth round the bench gave each process 16, so that its
 * 32 client connections never queued for one; the backends then queued for the CPU and for the
 * offices' number locks instead (docs/BENCHMARKS.md, "Seventeenth round").
 */
export const BENCH_PG_POOL = process.env.BENCH_PG_POOL ?? '4';

/**
 * Every table of the SQLite file but the migrator's own: the same schema on both engines, so a
 * table added by a migration is loaded without editing a list (foreign-key checks are off
 * during the load, so the order does not matter).
 */
function tablesOf(source: SQLite.Database): string[] {
  return (
    source
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name",
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
}

/** A value in COPY's text format. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return String(v)
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

export interface PostgresLoad {
  cluster: PgCluster;
  url: string;
  seconds: number;
  rows: number;
}

export async function loadIntoPostgres(
  sqliteFile: string,
  log: (m: string) => void = console.log,
): Promise<PostgresLoad> {
  const cluster = await startPgCluster({ maxConnections: 200, sharedBuffers: '1GB' });
  try {
    return await load(cluster, sqliteFile, log);
  } catch (err) {
    cluster.remove(); // a failed load leaves no server behind
    throw err;
  }
}

async function load(
  cluster: PgCluster,
  sqliteFile: string,
  log: (m: string) => void,
): Promise<PostgresLoad> {
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
  const tables = tablesOf(source);
  await client.query(`truncate ${tables.join(', ')} cascade`);
  let rows = 0;
  for (const table of tables) {
    const columns = (
      source.prepare(`select name from pragma_table_info('${table}')`).all() as { name: string }[]
    ).map((c) => c.name);
    const statement = source
      .prepare(`select ${columns.map((c) => `"${c}"`).join(', ')} from ${table}`)
      .raw(true);
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
    await pipeline(
      Readable.from(lines),
      client.query(
        copyFrom(`copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`),
      ),
    );
  }
  for (const table of tables) {
    const hasId =
      (
        source
          .prepare(`select count(*) as n from pragma_table_info('${table}') where name = 'id'`)
          .get() as { n: number }
      ).n > 0;
    // pg_get_serial_sequence is null for an id without a sequence, and setval(null) does nothing.
    if (hasId)
      await client.query(
        `select setval(pg_get_serial_sequence('${table}', 'id'), greatest(1, (select coalesce(max(id), 0) from ${table})))`,
      );
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
