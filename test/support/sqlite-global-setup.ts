import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SQLITE_TEMPLATE_ENV, seededSqliteImage } from './seeded-template.js';

/**
 * The SQLite project's run-wide setup: the migrated, seeded database as the image of a file,
 * which every test copies (test-app.ts) and real server processes start from (fresh-database.ts).
 */
export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env[SQLITE_TEMPLATE_ENV]) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-seeded-'));
  const file = path.join(dir, 'seeded.db');
  fs.writeFileSync(file, await seededSqliteImage());
  process.env[SQLITE_TEMPLATE_ENV] = file;
  return () => {
    delete process.env[SQLITE_TEMPLATE_ENV];
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
