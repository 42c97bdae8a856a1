import SQLite from 'better-sqlite3';
import pino from 'pino';
import { loadConfig } from './config.js';
import { createAppContext } from './context.js';
import { createDb, openSqlite } from './db/database.js';
import { backupDatabase, backupPostgres } from './db/backup.js';
import { backupFiles } from './files/backup-files.js';

/**
 * `npm run backup -- <file>`: online backup of DATABASE_URL while the server runs, with the
 * files. SQLite: the backup API, checked with integrity_check; then the files the copy refers to
 * go into `<file>.files/` beside it, each verified (FILES_STORE=fs; with FILES_STORE=database they
 * are inside the file already). PostgreSQL: pg_dump's custom format, checked with pg_restore
 * --list, which carries the files of the database store; restore it with `pg_restore --clean
 * --if-exists -d <url> <file>`. A standby fed by streaming replication is the province's second
 * copy; this file is the one kept offline.
 */
const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- <backup file>');
  process.exit(2);
}
const config = loadConfig();
const ctx = createAppContext(config, { logger: pino({ level: 'warn' }) });
try {
  if (config.databaseEngine === 'postgres') {
    const { bytes, entries } = await backupPostgres(config.databaseUrl, target);
    console.log(
      `Backed up the PostgreSQL database to ${target} with pg_dump (${bytes} bytes, ${entries} entries, checked with pg_restore --list).`,
    );
    if (config.files.store === 'fs') {
      const copied = await backupFiles(ctx.db, ctx.fileStore, `${target}.files`);
      console.log(
        `Copied ${copied.files} files (${copied.bytes} bytes) to ${target}.files, verified.`,
      );
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
    if (config.files.store === 'fs') {
      // The files the copy refers to, read from the copy itself.
      const snapshot = createDb(new SQLite(target, { readonly: true }));
      try {
        const copied = await backupFiles(snapshot, ctx.fileStore, `${target}.files`);
        console.log(
          `Copied ${copied.files} files (${copied.bytes} bytes) to ${target}.files, verified.`,
        );
      } finally {
        await snapshot.destroy();
      }
    }
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await ctx.destroy();
}
