import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { codeDay } from '../../src/dossiers/record/index.js';
import { localDateOf } from '../../src/lib/vietnam-time.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { until } from '../support/wait.js';
import { createTestApp, TEST_ENGINE, type TestApp } from '../support/test-app.js';

/**
 * PostgreSQL runs intakes beside each other, each its own transaction; the office's gap-free daily
 * number locks the office's counter row until commit. The number is the intake's first statement
 * (with its dossier's and event's ids), and every row of the intake is a deferrable write sent in
 * one statement in the COMMIT's round trip (db/deferred-writes.ts), so another intake of the
 * office waits for one round trip, not the whole transaction (docs/BENCHMARKS.md). Seen from outside: an
 * intake held at that lock has written nothing yet, and after it all its rows are there.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe.skipIf(TEST_ENGINE !== 'postgres')('waiting for the daily number (PostgreSQL)', () => {
  it('an intake waiting for the office’s number has written nothing, then writes it all', async () => {
    const officer = await accountNamed(t.ctx, 'canbo');
    const first = await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
    expect(first.code).toMatch(/-0001$/);

    // Another session holds the office's counter row, as a concurrent intake would.
    const holder = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(
        'select last_number from code_sequences where office_id = $1 and day = $2 for update',
        [officer.officeId, codeDay(localDateOf(t.clock.now()))],
      );
      const pending = receiveDossier(t.ctx, officer, await validIntake(t.ctx));
      // The intake's backend waits on that row lock; see what its transaction has written.
      let held = 0;
      await until(async () => {
        const { rows } = await holder.query<{ pid: number }>(
          `select w.pid from pg_locks w
           where not w.granted and w.locktype = 'transactionid' and w.pid <> pg_backend_pid()`,
        );
        held = rows[0]?.pid ?? 0;
        return held !== 0;
      }, 'the intake to wait for the office’s counter row');
      const { rows } = await holder.query<{ relname: string }>(
        `select distinct c.relname from pg_locks l join pg_class c on c.oid = l.relation
         where l.pid = $1 and l.mode = 'RowExclusiveLock'`,
        [held],
      );
      // Its transaction has taken the counter's row and nothing else: no dossier, no papers.
      const written = rows.map((r) => r.relname);
      expect(written).toContain('code_sequences');
      for (const table of ['dossiers', 'dossier_documents', 'dossier_steps', 'dossier_events'])
        expect(written).not.toContain(table);
      await holder.query('commit');
      const second = await pending;
      expect(second.code).toMatch(/-0002$/);
      const count = async (table: string) => {
        const { rows: counted } = await holder.query<{ n: string }>(
          `select count(*) as n from ${table} where dossier_id = $1`,
          [second.dossierId],
        );
        return Number(counted[0]!.n);
      };
      expect(await count('dossier_documents')).toBeGreaterThan(0);
      expect(await count('dossier_steps')).toBe(1);
      expect(await count('dossier_events')).toBe(1);
    } finally {
      await holder.end();
    }
  });
});
