import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSeededSqliteFile } from './seeded-template.js';
import { createPostgresTestDatabase, TEST_ENGINE } from './test-app.js';

/**
 * A migrated, seeded database of its own on the engine under test, for real server processes:
 * a SQLite file in a temporary folder or a PostgreSQL database. Its removal is pushed on `cleanups`.
 */
export async function freshDatabase(
  cleanups: (() => Promise<void>)[],
  name = 'motcua',
): Promise<string> {
  if (TEST_ENGINE === 'postgres') {
    const d = await createPostgresTestDatabase();
    cleanups.push(d.drop);
    return d.url;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const file = path.join(dir, `${name}.db`);
  await writeSeededSqliteFile(file);
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return file;
}
