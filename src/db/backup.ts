import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * Online backup of a live SQLite database with SQLite's backup API (through better-sqlite3):
 * consistent even while the server keeps writing. The copy is checked with integrity_check.
 */
export async function backupDatabase(source: SQLite.Database, target: string): Promise<{ pages: number; integrity: string }> {
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
