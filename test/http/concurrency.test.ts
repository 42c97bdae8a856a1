import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertAuditEvent } from '../../src/audit/audit.repository.js';
import { createDb, openSqlite } from '../../src/db/database.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import {
  createPostgresTestDatabase,
  createTestApp,
  createTestContext,
  placeholders,
  rawSql,
  TEST_ENGINE,
  type TestApp,
} from '../support/test-app.js';
import { nodeArgs } from '../support/js-build.js';
import { writeSeededSqliteFile } from '../support/seeded-template.js';

const run = promisify(execFile);
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
});
afterEach(() => t.close());

const consecutive = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);

describe('dossier codes under concurrency', () => {
  it('stay unique and consecutive for many intakes at once in one process', async () => {
    const account = await accountNamed(t.ctx, 'canbo');
    const input = await validIntake(t.ctx);
    const results = await Promise.all(
      Array.from({ length: 60 }, () => receiveDossier(t.ctx, account, input)),
    );
    const codes = results.map((r) => r.code!).sort();
    expect(codes).toEqual(consecutive(60, '000.00.13.H40-260310'));
  });

  it('stay unique and consecutive across two processes on one database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-concurrency-'));
    let target: string;
    let dropDatabase = async () => {};
    if (TEST_ENGINE === 'postgres') {
      const database = await createPostgresTestDatabase();
      target = database.url;
      dropDatabase = database.drop;
    } else {
      target = path.join(dir, 'shared.db');
      await writeSeededSqliteFile(target);
    }

    const spawn = () =>
      run(process.execPath, [...nodeArgs('test/support/intake-worker.ts'), target, '40', 'canbo'], {
        env: { ...process.env, TZ: 'UTC' },
      });
    const [a, b] = await Promise.all([spawn(), spawn()]);
    const codes = [...JSON.parse(a.stdout), ...JSON.parse(b.stdout)].sort();
    expect(codes).toEqual(consecutive(80, '000.00.13.H40-260310'));

    if (TEST_ENGINE === 'postgres') {
      const check = createTestContext(target);
      expect(await check.db.selectFrom('dossiers').select('code').execute()).toHaveLength(80);
      await check.destroy();
    } else {
      const check = createDb(openSqlite(target));
      const rows = await check.selectFrom('dossiers').select('code').execute();
      expect(rows).toHaveLength(80);
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
        check,
      );
      expect(integrity.rows[0]?.integrity_check).toBe('ok');
      await check.destroy();
    }
    await dropDatabase();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('dossier events', () => {
  it('cannot be updated or deleted, not even with SQL', async () => {
    const result = await receiveDossier(
      t.ctx,
      await accountNamed(t.ctx, 'canbo'),
      await validIntake(t.ctx),
    );
    const q = (text: string, parameters: unknown[] = []) =>
      rawSql(t.ctx, placeholders(t.ctx, text), parameters);
    await expect(
      q("update dossier_events set note = 'edited' where dossier_id = ?", [result.dossierId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      q('delete from dossier_events where dossier_id = ?', [result.dossierId]),
    ).rejects.toThrow(/append-only/);
    await insertAuditEvent(t.ctx.db, { at: new Date(), action: 'test.event' });
    await expect(q("update audit_events set action = 'edited'")).rejects.toThrow(/append-only/);
    await expect(q('delete from audit_events')).rejects.toThrow(/append-only/);
    const events = await q('select note from dossier_events where dossier_id = ?', [
      result.dossierId,
    ]);
    expect(events).toEqual([{ note: '' }]);
  });
});
