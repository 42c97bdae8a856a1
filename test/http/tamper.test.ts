import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { insertAuditEvent } from '../../src/audit/audit.repository.js';
import { verifyChains } from '../../src/audit/hash-chain.js';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { performDossierAction } from '../../src/dossiers/workflow/workflow.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import {
  createTestApp,
  dropTriggerOf,
  loginAs,
  placeholders,
  rawSql,
  type TestApp,
} from '../support/test-app.js';
import { nodeArgs } from '../support/js-build.js';

const run = promisify(execFile);
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function someHistory() {
  const officer = await accountNamed(t.ctx, 'canbo');
  const codes: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
    await performDossierAction(t.ctx, officer, r.code!, 'start_processing', { version: '1' });
    await performDossierAction(t.ctx, officer, r.code!, 'mark_result_ready', { version: '2' });
    codes.push(r.code!);
  }
  await loginAs(t.app, 'lanhdao');
  await insertAuditEvent(t.ctx.db, { at: new Date(), action: 'test.one' });
  await insertAuditEvent(t.ctx.db, { at: new Date(), action: 'test.two' });
  return codes;
}

describe('hash chains', () => {
  it('are intact after normal work, including concurrent appends', async () => {
    await someHistory();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        insertAuditEvent(t.ctx.db, { at: new Date(), action: `test.concurrent.${i}` }),
      ),
    );
    const result = await verifyChains(t.ctx.db);
    expect(result.broken).toEqual([]);
    expect(result.checked.dossierEvents).toBe(9);
    expect(result.checked.auditEvents).toBe(23); // 1 login, 2 + 20 test events
  });

  it('report a dossier event edited behind the app’s back', async () => {
    await someHistory();
    const target = await t.ctx.db
      .selectFrom('dossier_events')
      .select(['id', 'dossier_id'])
      .where('action', '=', 'start_processing')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await dropTriggerOf(t.ctx, 'dossier_events_no_update', 'dossier_events');
    await rawSql(
      t.ctx,
      placeholders(t.ctx, "update dossier_events set note = 'sửa lén' where id = ?"),
      [target.id],
    );
    const result = await verifyChains(t.ctx.db);
    expect(result.broken).toEqual([
      {
        table: 'dossier_events',
        id: target.id,
        dossierId: target.dossier_id,
        reason: 'content_changed',
      },
    ]);
  });

  it('report an audit event deleted behind the app’s back, at the link after it', async () => {
    await someHistory();
    const rows = await t.ctx.db.selectFrom('audit_events').select('id').orderBy('id').execute();
    await dropTriggerOf(t.ctx, 'audit_events_no_delete', 'audit_events');
    await rawSql(t.ctx, placeholders(t.ctx, 'delete from audit_events where id = ?'), [
      rows[1]!.id,
    ]);
    const result = await verifyChains(t.ctx.db);
    expect(result.broken).toEqual([
      { table: 'audit_events', id: rows[2]!.id, reason: 'chain_broken' },
    ]);
  });

  it('chain the events that existed before the migration that added them', async () => {
    const sqlite = new SQLite(':memory:');
    configureSqlite(sqlite);
    const db = createDb(sqlite);
    await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(
      '20261128_03_lookup_and_ratings',
    );
    // The rows of that day's schema, written directly (today's seeds know later columns).
    sqlite.exec(`insert into report_groups (code, name, position) values ('cu_tru', 'Cư trú', 1);
      insert into offices (code, name, short_name, valid_from, created_at) values ('X01', 'Công an xã X', 'X', '2020-01-01', '2026-01-01');
      insert into procedures (code, name, field, report_group, processing_days, created_at, updated_at) values ('1.0', 'Thủ tục', 'Cư trú', 'cu_tru', 1, '2026-01-01', '2026-01-01');
      insert into accounts (username, full_name, role, office_id, password_hash, created_at, updated_at) values ('a', 'A', 'officer', 1, 'x', '2026-01-01', '2026-01-01');`);
    sqlite
      .prepare(
        "insert into audit_events (at, action, details) values ('2026-01-01T00:00:00.000Z', 'login.succeeded', '{}')",
      )
      .run();
    sqlite
      .prepare(
        "insert into dossiers (office_id, procedure_id, procedure_code, procedure_name, report_group, processing_days, intake_outcome, status, applicant_name, applicant_name_folded, received_at, received_on, received_by, created_at, updated_at) values (1, 1, 'x', 'x', 'cu_tru', 1, 'guided', 'guided', 'A', 'a', '2026-01-01', '2026-01-01', 1, '2026-01-01', '2026-01-01')",
      )
      .run();
    sqlite
      .prepare(
        "insert into dossier_events (dossier_id, at, actor_name, action) values (1, '2026-01-01T00:00:00.000Z', 'A', 'guided')",
      )
      .run();
    await migrateToLatest(db);
    expect((await verifyChains(db)).broken).toEqual([]);
    await db.destroy();
  });
});

describe('npm run audit:verify', () => {
  it('exits 0 on an intact file and 1 naming the first broken link on a tampered one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-verify-'));
    const file = path.join(dir, 'v.db');
    const sqlite = new SQLite(file);
    configureSqlite(sqlite);
    const db = createDb(sqlite);
    await migrateToLatest(db);
    await insertAuditEvent(db, { at: new Date(), action: 'a' });
    await insertAuditEvent(db, { at: new Date(), action: 'b' });
    await db.destroy();
    const cli = (env: Record<string, string>) =>
      run(process.execPath, nodeArgs('src/audit/verify-cli.ts'), {
        env: { ...process.env, ...env },
      });
    const ok = await cli({ DATABASE_URL: `file:${file}` });
    expect(ok.stdout).toContain('All chains are intact.');
    const raw = new SQLite(file);
    raw.exec(
      "drop trigger audit_events_no_update; update audit_events set action = 'x' where id = 1;",
    );
    raw.close();
    const bad = await cli({ DATABASE_URL: `file:${file}` }).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stdout: string }).stdout).toContain(
      'BROKEN: audit event 1: its content was changed',
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
