import { loadConfig } from '../config.js';
import { openSqlite } from './database.js';
import { backupDatabase, backupPostgres } from './backup.js';

/**
 * `npm run backup -- <file>`: online backup of DATABASE_URL while the server runs. SQLite: the
 * backup API, checked with integrity_check. PostgreSQL: pg_dump's custom format, checked with
 * pg_restore --list; restore it with `pg_restore --clean --if-exists -d <url> <file>`. A standby
 * fed by streaming replication is the province's second copy; this file is the one kept offline.
 */
const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- <backup file>');
  process.exit(2);
}
const config = loadConfig();
if (config.databaseEngine === 'postgres') {
  try {
    const { bytes, entries } = await backupPostgres(config.databaseUrl, target);
    console.log(
      `Backed up the PostgreSQL database to ${target} with pg_dump (${bytes} bytes, ${entries} entries, checked with pg_restore --list).`,
    );
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
} else {
  if (config.databasePath === ':memory:') {
    console.error('DATABASE_URL is :memory:; there is nothing on disk to back up');
    process.exit(2);
  }
  const sqlite = openSqlite(config.databasePath);
  try {
    const { pages } = await backupDatabase(sqlite, target);
    console.log(`Backed up ${config.databasePath} to ${target} (${pages} pages, integrity ok).`);
  } finally {
    sqlite.close();
  }
}
