import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDatabase } from '../../seeds/index.js';
import { createPostgresTestDatabase, createTestContext, TEST_ENGINE } from '../support/test-app.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const HEADING =
  'Mã hồ sơ,Mã thủ tục,Người nộp,Số định danh,Địa chỉ,Ngày nhận,Ngày có kết quả,Ngày trả';

let dir: string;
let databaseUrl: string;
let dropDatabase = async () => {};
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'motcua-import-cli-'));
  if (TEST_ENGINE === 'postgres') {
    const database = await createPostgresTestDatabase();
    databaseUrl = database.url;
    dropDatabase = database.drop;
    return;
  }
  const dbFile = path.join(dir, 'motcua.db');
  databaseUrl = `file:${dbFile}`;
  const sqlite = new SQLite(dbFile);
  configureSqlite(sqlite);
  const db = createDb(sqlite);
  await migrateToLatest(db);
  await seedDatabase(db, { now: new Date('2026-01-01T00:00:00Z'), demoAccounts: true });
  await db.destroy();
});
afterEach(async () => {
  await dropDatabase();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/imports/import-cli.ts', ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          DATABASE_URL: databaseUrl,
          SEED_DEMO_DOSSIERS: 'false',
        },
      },
    );
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

const count = async () => {
  const ctx = createTestContext(databaseUrl);
  try {
    return (
      await ctx.db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  } finally {
    await ctx.destroy();
  }
};

describe('npm run import', () => {
  it('checks, imports a clean file once, and refuses a file with bad rows', async () => {
    const good = path.join(dir, 'good.csv');
    writeFileSync(
      good,
      `${HEADING}\n,2.000200,Trần Thị Bình,035190001234,Thôn 1,02/03/2026 08:00,06/03/2026,09/03/2026\n,1.004194,Lê Văn Cường,035090001235,Thôn 2,03/03/2026 09:00,,\n`,
    );
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(
      bad,
      `${HEADING}\n,2.000200,Trần Thị Bình,035190001234,Thôn 1,02/03/2026 08:00,,\n,9.9,Lê Văn Cường,035090001235,Thôn 2,03/03/2026,,\n`,
    );

    expect((await cli(good)).code).toBe(2); // no --office
    expect((await cli(good, '--office', 'nope')).code).toBe(2);

    const checked = await cli(good, '--office', '000.00.13.H40', '--check');
    expect(checked.code).toBe(0);
    expect(checked.out).toContain('Kiểm tra: tệp hợp lệ.');
    expect(await count()).toBe(0);

    const refused = await cli(bad, '--office', '000.00.13.H40');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Dòng 3: Mã thủ tục "9.9" không có trong danh mục thủ tục.');
    expect(await count()).toBe(0);

    const imported = await cli(good, '--office', '000.00.13.H40', '--user', 'quantri');
    expect(imported.code, imported.out).toBe(0);
    expect(imported.out).toContain('Đã nhập 2 hồ sơ (tài khoản quantri)');
    expect(await count()).toBe(2);

    const again = await cli(good, '--office', '000.00.13.H40');
    expect(again.code).toBe(0);
    expect(again.out).toContain('đã nhập trước đây: 2');
    expect(await count()).toBe(2);
  });
});
