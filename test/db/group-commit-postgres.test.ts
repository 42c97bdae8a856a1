import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { deferrable } from '../../src/db/deferred-writes.js';
import { UniqueViolationError } from '../../src/db/errors.js';
import { GroupCommit } from '../../src/db/group-commit.js';
import {
  allocateDailySequenceAndIds,
  reserveIntakeNumbers,
  type IntakeClaim,
} from '../../src/dossiers/record/index.js';
import type { Tx } from '../../src/db/database.js';
import { localDateOf } from '../../src/lib/vietnam-time.js';
import { accountNamed, createOfficerAt, validIntake } from '../support/factories.js';
import { createTestApp, TEST_ENGINE, type TestApp } from '../support/test-app.js';

/**
 * On PostgreSQL the units given a lock key (intakes: their office's daily number) share one
 * transaction per batch, in the order of their keys; a batch in which any unit fails is rolled
 * back and each unit is run alone, so every caller gets its own unit's outcome.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const tables: string[] = [];
afterEach(async () => {
  for (const table of tables.splice(0))
    await sql.raw(`drop table if exists ${table}`).execute(t.ctx.db);
});

async function table(name: string, columns: string): Promise<string> {
  const full = `gc_${name}_${process.pid}`;
  tables.push(full);
  await sql.raw(`drop table if exists ${full}`).execute(t.ctx.db);
  await sql.raw(`create table ${full} (${columns})`).execute(t.ctx.db);
  return full;
}

const txid = async (tx: Tx) =>
  Number((await sql<{ id: string }>`select txid_current()::text as id`.execute(tx)).rows[0]!.id);

function recording() {
  const batches: number[] = [];
  return { batches, onBatch: (units: number) => batches.push(units) };
}

describe.skipIf(TEST_ENGINE !== 'postgres')('GroupCommit on PostgreSQL', () => {
  it('runs keyed units that arrive together in one transaction, in the order of their keys', async () => {
    const { batches, onBatch } = recording();
    const group = new GroupCommit(t.ctx.db, 'postgres', { onBatch, lanes: 1 });
    const order: number[] = [];
    const unit = (key: number) => async (tx: Tx) => {
      order.push(key);
      return txid(tx);
    };
    const ids = await Promise.all(
      [3, 1, 2, 1].map((key) => group.run(unit(key), { lockKey: key })),
    );
    expect(new Set(ids).size).toBe(1);
    expect(order).toEqual([1, 1, 2, 3]);
    expect(batches).toEqual([4]);
  });

  it('keeps a batch in flight per lane: keys of one remainder share a transaction, the lanes run side by side', async () => {
    const { batches, onBatch } = recording();
    const group = new GroupCommit(t.ctx.db, 'postgres', { onBatch, lanes: 2 });
    const started: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const unit = (key: number) => async (tx: Tx) => {
      started.push(key);
      // Both lanes' first units are running before either goes on: the lanes are concurrent.
      if (started.length === 2) release();
      await gate;
      return txid(tx);
    };
    const keys = [1, 2, 3, 4, 5];
    const ids = await Promise.all(keys.map((key) => group.run(unit(key), { lockKey: key })));
    const odd = new Set(ids.filter((_, i) => keys[i]! % 2 === 1));
    const even = new Set(ids.filter((_, i) => keys[i]! % 2 === 0));
    expect(odd.size).toBe(1);
    expect(even.size).toBe(1);
    expect([...odd][0]).not.toBe([...even][0]);
    expect(batches.sort()).toEqual([2, 3]);
  });

  it('runs a unit without a key as its own transaction, at once', async () => {
    const { batches, onBatch } = recording();
    const group = new GroupCommit(t.ctx.db, 'postgres', { onBatch });
    const ids = await Promise.all([1, 2, 3].map(() => group.run(txid)));
    expect(new Set(ids).size).toBe(3);
    expect(batches).toEqual([]);
  });

  it('runs every unit of a failed batch alone: the failing one gets its error, the others commit', async () => {
    const items = await table('items', 'name text primary key');
    await sql.raw(`insert into ${items} values ('taken')`).execute(t.ctx.db);
    const { batches, onBatch } = recording();
    const group = new GroupCommit(t.ctx.db, 'postgres', { onBatch, lanes: 1 });
    const insert = (name: string) => async (tx: Tx) => {
      // A deferrable write travels with the next statement: in a shared transaction that is
      // another unit's, so its error first reaches that unit.
      await tx.executeQuery(
        deferrable(sql`insert into ${sql.table(items)} values (${name})`.compile(tx)),
      );
      return txid(tx).then(() => name);
    };
    const outcomes = await Promise.allSettled([
      group.run(insert('a'), { lockKey: 1 }),
      group.run(insert('taken'), { lockKey: 2 }),
      group.run(insert('c'), { lockKey: 3 }),
    ]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 'a' });
    expect(outcomes[1]!.status).toBe('rejected');
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolationError);
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 'c' });
    const { rows } = await sql
      .raw<{ name: string }>(`select name from ${items} order by name`)
      .execute(t.ctx.db);
    expect(rows.map((r) => r.name)).toEqual(['a', 'c', 'taken']);
    expect(batches).toEqual([3, 1, 1, 1]);
  });

  it('takes the keys’ locks in one order, so two processes’ batches wait for each other and never deadlock', async () => {
    const locks = await table('locks', 'k integer primary key, n integer not null');
    await sql.raw(`insert into ${locks} values (1, 0), (2, 0)`).execute(t.ctx.db);
    const a = recording();
    const b = recording();
    const groupA = new GroupCommit(t.ctx.db, 'postgres', { onBatch: a.onBatch, lanes: 1 });
    const groupB = new GroupCommit(t.ctx.db, 'postgres', { onBatch: b.onBatch, lanes: 1 });
    const take = (key: number) => async (tx: Tx) => {
      await sql`update ${sql.table(locks)} set n = n + 1 where k = ${key}`.execute(tx);
      // Long enough for the other batch to take its first lock meanwhile.
      await sql`select pg_sleep(0.1)`.execute(tx);
    };
    // Arriving in opposite orders: run as they came, each batch would hold one row the other
    // waits for.
    await Promise.all([
      groupA.run(take(2), { lockKey: 2 }),
      groupA.run(take(1), { lockKey: 1 }),
      groupB.run(take(1), { lockKey: 1 }),
      groupB.run(take(2), { lockKey: 2 }),
    ]);
    // Neither batch failed (a deadlock would have run its units again alone).
    expect(a.batches).toEqual([2]);
    expect(b.batches).toEqual([2]);
    const { rows } = await sql
      .raw<{ n: number }>(`select n from ${locks} order by k`)
      .execute(t.ctx.db);
    expect(rows.map((r) => r.n)).toEqual([2, 2]);
  });

  it('gives intakes arriving together gap-free numbers per office, and counts each once', async () => {
    await createOfficerAt(t.ctx, '000.11.13.H40', 'gc_xa');
    const district = await accountNamed(t.ctx, 'canbo');
    const commune = await accountNamed(t.ctx, 'gc_xa');
    const today = localDateOf(t.clock.now());
    const tally = async (officeId: number) => {
      const { rows } = await sql<{ counted: number; accepted: number; scorecard: number }>`
        select (select coalesce(sum(n), 0) from report_daily
                  where office_id = ${officeId} and day = ${today} and measure = 'received') as counted,
               (select count(*) from dossiers
                  where office_id = ${officeId} and received_on = ${today}
                    and intake_outcome = 'accepted') as accepted,
               (select coalesce(sum(n), 0) from scorecard_daily
                  where office_id = ${officeId} and day = ${today}) as scorecard`.execute(t.ctx.db);
      return {
        counted: Number(rows[0]!.counted),
        accepted: Number(rows[0]!.accepted),
        scorecard: Number(rows[0]!.scorecard),
      };
    };
    const before = [await tally(district.officeId), await tally(commune.officeId)];
    // One intake alone first: it counts straight into the counters (migration 35).
    const lone = await receiveDossier(t.ctx, district, await validIntake(t.ctx));
    const alone = await tally(district.officeId);
    const number = (code: string | null) => Number(code!.slice(-4));

    const officers = [district, commune, district, commune, district, district, commune, district];
    const bodies = await Promise.all(officers.map(() => validIntake(t.ctx)));
    const results = await Promise.all(
      officers.map((officer, i) => receiveDossier(t.ctx, officer, bodies[i])),
    );
    const numbersOf = (officer: typeof district) =>
      results
        .filter((_, i) => officers[i] === officer)
        .map((r) => number(r.code))
        .sort((x, y) => x - y);
    // Consecutive: no number skipped or given twice, the district's following the lone intake's.
    expect(numbersOf(district)).toEqual([1, 2, 3, 4, 5].map((i) => number(lone.code) + i));
    const first = numbersOf(commune)[0]!;
    expect(numbersOf(commune)).toEqual([first, first + 1, first + 2]);
    const after = [await tally(district.officeId), await tally(commune.officeId)];
    expect(after[0]!.counted - before[0]!.counted).toBe(6);
    expect(after[0]!.accepted - before[0]!.accepted).toBe(6);
    expect(after[1]!.counted - before[1]!.counted).toBe(3);
    expect(after[1]!.accepted - before[1]!.accepted).toBe(3);
    // The batched intakes were counted into the scorecard as the lone one was.
    const perIntake = alone.scorecard - before[0]!.scorecard;
    expect(perIntake).toBeGreaterThan(0);
    expect(after[0]!.scorecard - before[0]!.scorecard).toBe(6 * perIntake);
    expect(after[1]!.scorecard - before[1]!.scorecard).toBe(3 * perIntake);
  });

  it('takes the numbers and ids of a batch of intakes in one statement before they run', async () => {
    await createOfficerAt(t.ctx, '000.11.13.H40', 'gc_xa2');
    const district = await accountNamed(t.ctx, 'canbo');
    const commune = await accountNamed(t.ctx, 'gc_xa2');
    const claims: unknown[][] = [];
    const original = t.ctx.groupCommit;
    t.ctx.groupCommit = new GroupCommit(t.ctx.db, 'postgres', {
      lanes: 1,
      prepareBatch: (tx, c) => {
        claims.push(c);
        return reserveIntakeNumbers(tx, c as IntakeClaim[]);
      },
    });
    try {
      const officers = [commune, district, commune, district, district];
      const bodies = await Promise.all(officers.map(() => validIntake(t.ctx)));
      // A guidance slip takes no number: it claims none, and runs in the same batch.
      const guided = await validIntake(t.ctx, { outcome: 'guide', documents: [] });
      const [slip, ...results] = await Promise.all([
        receiveDossier(t.ctx, district, guided),
        ...officers.map((officer, i) => receiveDossier(t.ctx, officer, bodies[i])),
      ]);
      expect(slip!.code).toBeNull();
      const day = (results[0]!.code ?? '').split('-')[1];
      // One reservation for the batch, its claims in the order of the offices (the locks').
      const [low, high] = [district.officeId, commune.officeId].sort((a, b) => a - b);
      expect(claims).toEqual([
        [
          ...Array(low === district.officeId ? 3 : 2).fill({ officeId: low, day }),
          ...Array(high === district.officeId ? 3 : 2).fill({ officeId: high, day }),
        ],
      ]);
      const numbersOf = (officer: typeof district) =>
        results
          .filter((_, i) => officers[i] === officer)
          .map((r) => Number(r.code!.slice(-4)))
          .sort((x, y) => x - y);
      for (const officer of [district, commune]) {
        const numbers = numbersOf(officer);
        expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
      }
      // Each dossier has its own reserved id, and its first event its own.
      const { rows } = await sql<{ id: number; code: string; event_id: number }>`
        select d.id, d.code, (select min(e.id) from dossier_events e where e.dossier_id = d.id) as event_id
        from dossiers d where d.code in (${sql.join(results.map((r) => r.code))})`.execute(
        t.ctx.db,
      );
      expect(rows).toHaveLength(5);
      expect(new Set(rows.map((r) => r.id)).size).toBe(5);
      expect(new Set(rows.map((r) => r.event_id)).size).toBe(5);
      for (const r of results)
        expect(rows.find((row) => row.code === r.code)?.id).toBe(r.dossierId);
    } finally {
      t.ctx.groupCommit = original;
    }
  });

  it('runs each unit alone when one leaves the number it claimed, and keeps the numbers gap-free', async () => {
    const { batches, onBatch } = recording();
    const group = new GroupCommit(t.ctx.db, 'postgres', {
      lanes: 1,
      onBatch,
      prepareBatch: (tx, c) => reserveIntakeNumbers(tx, c as IntakeClaim[]),
    });
    const office = (await accountNamed(t.ctx, 'canbo')).officeId;
    const day = '991231';
    const claim = { officeId: office, day };
    const take = (on: string) => async (tx: Tx) =>
      (await allocateDailySequenceAndIds(tx, office, on)).sequence;
    const results = await Promise.all([
      group.run(take(day), { lockKey: office, claim }),
      group.run(async () => 'took nothing', { lockKey: office, claim }),
      // Claimed for one day, took another's (midnight between the two): its own statement.
      group.run(take('991230'), { lockKey: office, claim }),
      group.run(take(day), { lockKey: office, claim }),
    ]);
    // The batch was rolled back and each unit run alone: no number was lost to the one that
    // took none.
    expect(batches).toEqual([4, 1, 1, 1, 1]);
    // Alone, the two that took this day's numbers ran side by side: 1 and 2 in either order.
    expect([results[0], results[3]].sort()).toEqual([1, 2]);
    expect(results.slice(1, 3)).toEqual(['took nothing', 1]);
  });
});
