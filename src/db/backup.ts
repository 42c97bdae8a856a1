import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * Online backup of a live SQLite database with SQLite's backup API (through better-sqlite3):
 * consistent even while the server keeps writing. The copy is checked with integrity_check.
 */
export async function backupDatabase(
  source: SQLite.Database,
  target: string,
): Promise<{ pages: number; integrity: string }> {
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const tmp = `${target}.partial`;
  fs.rmSync(tmp, { force: true });
  const { totalPages } = await source.backup(tmp);
  const copy = new SQLite(tmp, { readonly: true });
  const integrity = (copy.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
  copy.close();
  if (integrity !== 'ok') {
    fs.rmSync(tmp, { force: true });
    throw new Error(`backup failed its integrity check: ${integrity}`);
  }
  fs.renameSync(tmp, target);
  return { pages: totalPages, integrity };
}

/**
 * PostgreSQL: `pg_dump --format=custom` of DATABASE_URL (a consistent snapshot taken in one
 * repeatable-read transaction while the server keeps writing), checked by reading its table of
 * contents back with `pg_restore --list`. Restore with `pg_restore --clean --if-exists -d <url> <file>`.
 * The client tools must be at least the server's major version (Debian: postgresql-client).
 */
export async function backupPostgres(
  url: string,
  target: string,
  binDir: string | null = findPostgresTools(),
): Promise<{ bytes: number; entries: number }> {
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const tmp = `${target}.partial`;
  fs.rmSync(tmp, { force: true });
  const tool = (name: string) => (binDir ? path.join(binDir, name) : name);
  await run(tool('pg_dump'), [
    '--format=custom',
    '--no-owner',
    '--no-privileges',
    `--file=${tmp}`,
    `--dbname=${url}`,
  ]);
  const { stdout } = await run(tool('pg_restore'), ['--list', tmp]);
  const entries = stdout.split('\n').filter((line) => line.trim() && !line.startsWith(';')).length;
  if (entries === 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error('backup failed its check: pg_restore --list found nothing in it');
  }
  fs.renameSync(tmp, target);
  return { bytes: fs.statSync(target).size, entries };
}

/** Debian keeps the newest client tools in /usr/lib/postgresql/<version>/bin; else they are on PATH. */
export function findPostgresTools(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_dump')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? path.join(root, versions.at(-1)!, 'bin') : null;
}

function run(command: string, args: string[]): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(command)} failed: ${stderr || err.message}`));
      else resolve({ stdout });
    });
  });
}
