import net from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferrable } from '../../src/db/deferred-writes.js';
import { UniqueViolationError } from '../../src/db/errors.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, TEST_ENGINE, type TestApp } from '../support/test-app.js';

/**
 * PostgreSQL: writes marked deferrable travel with the transaction's next statement, and the
 * BEGIN with its first, so the intake makes fewer round trips (db/deferred-writes.ts). What goes
 * to the server is seen by node-postgres's own query(), under the app's wrapper; the round trips
 * by the writes to each connection's socket (one for all the statements sent together).
 */
const sent: { client: unknown; text: string }[] = [];
/** Each write to a socket, with how many statements had been sent by then. */
const socketWrites: { socket: unknown; after: number }[] = [];
let t: TestApp;

beforeAll(async () => {
  if (TEST_ENGINE !== 'postgres') return;
  for (const method of ['_write', '_writev'] as const) {
    const write = net.Socket.prototype[method] as (...a: unknown[]) => unknown;
    vi.spyOn(net.Socket.prototype, method).mockImplementation(function (
      this: net.Socket,
      ...args: unknown[]
    ) {
      socketWrites.push({ socket: this, after: sent.length });
      return write.apply(this, args) as never;
    });
  }
  const query = pg.Client.prototype.query;
  vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: string })?.text;
    if (text) sent.push({ client: this, text });
    return (query as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  t = await createTestApp();
  await sql`create table deferred_a (id integer primary key, note text not null)`.execute(t.ctx.db);
  await sql`create table deferred_b (id integer primary key)`.execute(t.ctx.db);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.close();
});
beforeEach(async () => {
  if (TEST_ENGINE !== 'postgres') return;
  await sql`delete from deferred_a`.execute(t.ctx.db);
  await sql`delete from deferred_b`.execute(t.ctx.db);
  sent.length = 0;
  socketWrites.length = 0;
});

/**
 * The writes to the socket of `client` (a node-postgres client) from the sending of `sent[from]`
 * to that of `sent[to]`, both included.
 */
const writesOf = (client: unknown, from: number, to: number) => {
  const socket = (client as { connection: { stream: unknown } }).connection.stream;
  return socketWrites.filter((w) => w.socket === socket && w.after > from && w.after <= to + 1)
    .length;
};
/** The writes of the transaction of the last COMMIT sent. */
const writesOfLastTransaction = () => {
  const commit = sent.findLastIndex((s) => s.text === 'commit');
  const client = sent[commit]!.client;
  const begin = sent.findLastIndex(
    (s, i) => i < commit && s.client === client && s.text === 'begin',
  );
  return writesOf(client, begin, commit);
};

const insertA = (id: number, note = 'a') =>
  deferrable(sql`insert into deferred_a (id, note) values (${id}, ${note})`.compile(t.ctx.db));
const insertB = (id: number) =>
  deferrable(sql`insert into deferred_b (id) values (${id})`.compile(t.ctx.db));
const countOf = async (table: 'deferred_a' | 'deferred_b') =>
  Number(
    (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.ctx.db))
      .rows[0]!.n,
  );

describe.skipIf(TEST_ENGINE !== 'postgres')('deferred writes (PostgreSQL)', () => {
  it('sends a transaction’s deferrable writes with its next statement, as one', async () => {
    const answer = await t.ctx.db.transaction().execute(async (tx) => {
      const first = await tx.executeQuery(insertA(1));
      expect(first.rows).toEqual([]);
      await tx.executeQuery(insertB(1));
      await tx.executeQuery(insertA(2, "it's"));
      // Nothing was sent yet, not even the BEGIN.
      expect(sent).toEqual([]);
      return (await sql<{ n: number }>`select ${41}::int + 1 as n`.execute(tx)).rows[0]!.n;
    });
    expect(answer).toBe(42);
    expect(sent.map((s) => s.text.slice(0, 24))).toEqual([
      'begin',
      'with motcua_w0 as (inser',
      'commit',
    ]);
    // Two round trips: the BEGIN with the SELECT that carries the writes, then the COMMIT.
    expect(writesOfLastTransaction()).toBe(2);
    expect(await countOf('deferred_a')).toBe(2);
    expect(await countOf('deferred_b')).toBe(1);
  });

  it('sends them before a statement that reads their table, and before COMMIT', async () => {
    await t.ctx.db.transaction().execute(async (tx) => {
      await tx.executeQuery(insertA(1));
      const { rows } = await sql<{ n: number }>`select count(*) as n from deferred_a`.execute(tx);
      expect(Number(rows[0]!.n)).toBe(1);
      await tx.executeQuery(insertB(7));
    });
    expect(sent.map((s) => s.text.slice(0, 30))).toEqual([
      'begin',
      'insert into deferred_a (id, no',
      'select count(*) as n from defe',
      'insert into deferred_b (id) va',
      'commit',
    ]);
    // The BEGIN, the INSERT and the SELECT; the other INSERT with the COMMIT.
    expect(writesOfLastTransaction()).toBe(2);
    expect(await countOf('deferred_b')).toBe(1);
  });

  it('a statement that fails in a round trip fails its caller; what followed it did not commit', async () => {
    await t.ctx.db
      .insertInto('deferred_a' as never)
      .values({ id: 5, note: 'x' } as never)
      .execute();
    // The deferred write fails in the round trip of the COMMIT: the COMMIT ends the aborted
    // transaction as a rollback, and the caller gets the write's error.
    const failing = t.ctx.db.transaction().execute(async (tx) => {
      await sql`select 1`.execute(tx);
      await tx.executeQuery(insertB(8));
      await tx.executeQuery(insertA(5));
    });
    await expect(failing).rejects.toBeInstanceOf(UniqueViolationError);
    // Sent: the rows, the COMMIT (one round trip), then Kysely's ROLLBACK.
    expect(sent.slice(-3).map((x) => x.text.slice(0, 24))).toEqual([
      'with motcua_w0 as (inser',
      'commit',
      'rollback',
    ]);
    expect((sent.at(-1)!.client as { pipeline: boolean }).pipeline).toBe(false);
    expect(await countOf('deferred_b')).toBe(0);
    // The connection is whole again: out of the pipeline, with no transaction left open.
    await t.ctx.db.transaction().execute(async (tx) => {
      await tx.executeQuery(insertB(9));
      const { rows } = await sql<{ n: number }>`select count(*) as n from deferred_b`.execute(tx);
      expect(Number(rows[0]!.n)).toBe(1);
    });
    expect(await countOf('deferred_b')).toBe(1);
  });

  it('a transaction of only deferred writes that rolls back sends nothing at all', async () => {
    await expect(
      t.ctx.db.transaction().execute(async (tx) => {
        await tx.executeQuery(insertA(1));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(sent).toEqual([]);
  });

  it('a deferred write that fails fails the statement that carries it, and the transaction', async () => {
    await t.ctx.db
      .insertInto('deferred_a' as never)
      .values({ id: 1, note: 'x' } as never)
      .execute();
    const failing = t.ctx.db.transaction().execute(async (tx) => {
      await tx.executeQuery(insertB(1));
      await tx.executeQuery(insertA(1)); // the key is taken
      await sql`select 1`.execute(tx);
    });
    await expect(failing).rejects.toBeInstanceOf(UniqueViolationError);
    expect(await countOf('deferred_b')).toBe(0);
  });

  it('a rollback drops the writes; the connection’s next transaction does not send them', async () => {
    await expect(
      t.ctx.db.transaction().execute(async (tx) => {
        await tx.executeQuery(insertA(1));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await t.ctx.db.transaction().execute(async (tx) => {
      await tx.executeQuery(insertB(2));
    });
    expect(await countOf('deferred_a')).toBe(0);
    expect(await countOf('deferred_b')).toBe(1);
    expect(sent.some((s) => s.text.includes('deferred_a (id, note)'))).toBe(false);
  });

  it('outside a transaction a deferrable write is sent at once', async () => {
    await t.ctx.db.executeQuery(insertA(3));
    expect(await countOf('deferred_a')).toBe(1);
  });

  it('an intake writes everything in 4 statements and 2 round trips, 1 after the office’s number', async () => {
    const officer = await accountNamed(t.ctx, 'canbo');
    const body = await validIntake(t.ctx);
    sent.length = 0;
    const result = await receiveDossier(t.ctx, officer, body);
    const committer = sent.findLast((s) => s.text === 'commit')!.client;
    const texts = sent.filter((s) => s.client === committer).map((s) => s.text);
    const tx = texts.slice(texts.lastIndexOf('begin'));
    expect(tx.map((text) => text.slice(0, 40))).toHaveLength(4);
    // BEGIN, the number with the dossier's and its event's ids, every row, COMMIT.
    expect(tx[0]).toBe('begin');
    expect(tx[1]).toContain('"code_sequences"');
    const numberAt = tx.findIndex((text) => text.includes('"code_sequences"'));
    expect(tx.length - numberAt - 1).toBe(2);
    // The BEGIN with the number; every row with the COMMIT. The connection is back out of
    // node-postgres's pipeline mode, which it was in only for those round trips.
    expect(writesOfLastTransaction()).toBe(2);
    expect((committer as { pipeline: boolean }).pipeline).toBe(false);

    // All of it is there.
    const id = result.dossierId;
    const count = (table: string) =>
      sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where dossier_id = ${id}`
        .execute(t.ctx.db)
        .then((r) => Number(r.rows[0]!.n));
    expect(await count('dossier_documents')).toBeGreaterThan(0);
    expect(await count('dossier_steps')).toBe(1);
    expect(await count('dossier_events')).toBe(1);
    expect(await count('portal_sync_streams')).toBe(1);
    const stored = await t.ctx.db
      .selectFrom('dossiers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // The row the intake built and answered with is the stored one, column for column.
    expect(result.dossier).toEqual(stored);
    expect(Object.keys(result.dossier!)).toEqual(Object.keys(stored));
    expect(stored.code).toBe(result.code);
    expect(stored.lookup_key_hash).toMatch(/^h1:/);
    const rows = await sql<{ n: number }>`select count(*) as n from portal_sync_rows r
      join portal_sync_streams s on s.id = r.stream_id where s.dossier_id = ${id}`.execute(
      t.ctx.db,
    );
    expect(Number(rows.rows[0]!.n)).toBe(1);
  });
});
