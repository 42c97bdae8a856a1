import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import { nextIds } from '../../db/chains.js';
import { engineOf } from '../../db/connect.js';
import { carriesSeveralUnits } from '../../db/group-commit.js';
import { precompiled } from '../../db/precompiled.js';

/**
 * The offices' daily numbers (code_sequences) and the ids an intake takes with its number: the
 * first thing an intake writes, and on PostgreSQL the lock its office's other intakes wait for.
 */
/**
 * Takes the next number of the office's daily sequence. Runs inside the intake transaction
 * (BEGIN IMMEDIATE holds the write lock), so concurrent intakes, even from two processes, get
 * distinct consecutive numbers, and a rolled-back intake gives its number back.
 */
export async function allocateDailySequence(
  tx: Tx,
  officeId: number,
  day: string,
): Promise<number> {
  const [row] = await nextDailyNumber(tx, { officeId, day });
  return row!.last_number;
}

/**
 * The office's next daily number, the id of the event that will record the intake and, on
 * PostgreSQL, the dossier's own id. On PostgreSQL one statement: it takes the number's row lock,
 * which the office's other intakes wait for until this one commits, so every statement fewer
 * after it shortens their wait. With the dossier's id known beforehand, its row goes in once,
 * code included, with the intake's other rows (`insertDossier` with a reserved id). On SQLite
 * the dossier's INSERT gives its id (`dossierId` undefined).
 */
export async function allocateDailySequenceAndIds(
  tx: Tx,
  officeId: number,
  day: string,
): Promise<{ sequence: number; eventId: number; dossierId?: number }> {
  if (engineOf(tx) === 'postgres') {
    const taken = reservedFor.get(tx)?.take(officeId, day);
    if (taken) return taken;
    // In a transaction of several intakes (db/group-commit.ts) the counters are summed at
    // commit, in their order: counted directly, the next intake's rows would come out of it.
    const statement = carriesSeveralUnits(tx)
      ? nextDailyNumberAndIdsAtCommit
      : nextDailyNumberAndIds;
    const [row] = await statement(tx, { officeId, day });
    return { sequence: row!.last_number, eventId: row!.event_id, dossierId: row!.dossier_id };
  }
  const sequence = await allocateDailySequence(tx, officeId, day);
  const [eventId] = await nextIds(tx, 'dossier_events', 1);
  return { sequence, eventId: eventId! };
}

/** What an accepted intake will take: a daily number of its office (`allocateDailySequenceAndIds`). */
export interface IntakeClaim {
  officeId: number;
  day: string;
}

/** Numbers and ids a PostgreSQL transaction of several intakes took for them beforehand. */
class Reservation {
  readonly #numbers = new Map<string, number[]>();
  #next = 0;
  constructor(
    taken: [number, string, number, number][],
    private readonly eventIds: number[],
    private readonly dossierIds: number[],
  ) {
    // Each office's and day's numbers, lowest first: the intakes take them in the batch's order.
    for (const [officeId, day, last, count] of taken)
      this.#numbers.set(
        `${officeId} ${day}`,
        Array.from({ length: count }, (_, i) => last - count + 1 + i),
      );
  }

  take(officeId: number, day: string) {
    const sequence = this.#numbers.get(`${officeId} ${day}`)?.shift();
    if (sequence === undefined) return null;
    const i = this.#next++;
    return { sequence, eventId: this.eventIds[i]!, dossierId: this.dossierIds[i]! };
  }

  /** Throws if an intake claimed a number it did not take (its batch then runs unit by unit). */
  settle(): void {
    if (this.#next !== this.eventIds.length || [...this.#numbers.values()].some((n) => n.length))
      throw new Error('a batch of intakes left numbers it had reserved');
  }
}
const reservedFor = new WeakMap<Tx, Reservation>();

/**
 * PostgreSQL, a transaction of several intakes (db/group-commit.ts `prepareBatch`): the daily
 * numbers and the ids of all its intakes in one statement, before they run, so that each intake
 * then takes its own without a round trip and every row goes with the COMMIT. The claims come in
 * the batch's order (by office), and the numbers' rows are locked in that order, as the intakes
 * one by one would lock them. Returns the check that every reservation was taken.
 */
export async function reserveIntakeNumbers(tx: Tx, claims: IntakeClaim[]): Promise<() => void> {
  const [row] = await reserveNumbersAndIds(tx, {
    offices: claims.map((c) => c.officeId),
    days: claims.map((c) => c.day),
    count: claims.length,
  });
  const reservation = new Reservation(row!.taken, row!.event_ids, row!.dossier_ids);
  reservedFor.set(tx, reservation);
  return () => reservation.settle();
}

// PostgreSQL only. One text whatever the batch's size (arrays), so it stays a prepared statement.
const reserveNumbersAndIds = precompiled(['offices', 'days', 'count'], (db, p) => ({
  compile: () =>
    sql<{
      taken: [number, string, number, number][];
      event_ids: number[];
      dossier_ids: number[];
    }>`with wanted as (
        select w.office_id, w.day, count(*)::int4 as n
        from unnest(${p.offices}::int4[], ${p.days}::text[]) as w(office_id, day)
        group by w.office_id, w.day),
      taken as (
        insert into code_sequences (office_id, day, last_number)
        select office_id, day, n from wanted order by office_id, day
        on conflict (office_id, day)
          do update set last_number = code_sequences.last_number + excluded.last_number
        returning office_id, day, last_number)
      select
        (select json_agg(json_build_array(t.office_id, t.day, t.last_number, w.n))
          from taken t join wanted w on w.office_id = t.office_id and w.day = t.day) as taken,
        array(select nextval(pg_get_serial_sequence('dossier_events', 'id'))::int4
          from generate_series(1, ${p.count}::int4)) as event_ids,
        array(select nextval(pg_get_serial_sequence('dossiers', 'id'))::int4
          from generate_series(1, ${p.count}::int4)) as dossier_ids`.compile(db),
}));

// The intake's statements, compiled once (db/precompiled.ts): an intake is the busiest write.
const nextDailyNumber = precompiled(['officeId', 'day'], (db, p) =>
  db
    .insertInto('code_sequences')
    .values({ office_id: p.officeId, day: p.day, last_number: 1 })
    .onConflict((oc) =>
      oc
        .columns(['office_id', 'day'])
        .doUpdateSet({ last_number: sql<number>`code_sequences.last_number + 1` }),
    )
    .returning('last_number'),
);
// PostgreSQL only (a data-modifying WITH, sequences).
const numberAndIds = (counters: 'direct' | 'at commit') =>
  precompiled(['officeId', 'day'], (db, p) =>
    db
      .with('taken', (w) =>
        w
          .insertInto('code_sequences')
          .values({ office_id: p.officeId, day: p.day, last_number: 1 })
          .onConflict((oc) =>
            oc
              .columns(['office_id', 'day'])
              .doUpdateSet({ last_number: sql<number>`code_sequences.last_number + 1` }),
          )
          .returning('last_number'),
      )
      .selectFrom('taken')
      .select([
        'taken.last_number',
        sql<number>`nextval(pg_get_serial_sequence('dossier_events', 'id'))::int4`.as('event_id'),
        sql<number>`nextval(pg_get_serial_sequence('dossiers', 'id'))::int4`.as('dossier_id'),
        // The transaction counts its dossier straight into the counters (migration 35): it holds
        // the office's number until it commits anyway.
        counters === 'direct'
          ? sql<string>`set_config('motcua.counters', 'direct', true)`.as('counters')
          : sql<string>`''`.as('counters'),
      ]),
  );
const nextDailyNumberAndIds = numberAndIds('direct');
const nextDailyNumberAndIdsAtCommit = numberAndIds('at commit');
