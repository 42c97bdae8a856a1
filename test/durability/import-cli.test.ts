import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase, createTestContext, TEST_ENGINE } from '../support/test-app.js';
import { nodeArgs } from '../support/js-build.js';
import { writeSeededSqliteFile } from '../support/seeded-template.js';
import { runImportCommand } from '../../src/imports/import-command.js';

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
  await writeSeededSqliteFile(dbFile);
});
afterEach(async () => {
  await dropDatabase();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({
  ...process.env,
  NODE_ENV: 'development',
  DATABASE_URL: databaseUrl,
  SEED_DEMO_DOSSIERS: 'false',
});

/** The command in process (src/imports/import-command.ts): its exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const write = (line: string) => void lines.push(line);
  const code = await runImportCommand(args, env(), { log: write, error: write });
  return { code, out: lines.join('\n') };
}

/** The command as `npm run import` runs it, a process of its own (built to JavaScript). */
async function cliProcess(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [...nodeArgs('src/imports/import-cli.ts'), ...args],
      { cwd: root, env: env() },
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

    // As a process: the command's result is the exit code.
    const refused = await cliProcess(bad, '--office', '000.00.13.H40');
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
