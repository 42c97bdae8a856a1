import { describe, expect, it } from 'vitest';
import {
  combine,
  DEFERRABLE_MARK,
  DeferredWrites,
  renumber,
} from '../../src/db/deferred-writes.js';

const mark = (sql: string) => `${sql}${DEFERRABLE_MARK}`;
const insertA = mark('insert into "a" ("x", "y") values ($1, $2)');
const insertB = mark('insert into "b" ("z") values ($1)');

const BEGIN = { text: 'begin', values: [] };

/** A transaction whose BEGIN waits for its first statement that is sent. */
function inTransaction() {
  const writes = new DeferredWrites();
  expect(writes.step('begin', [])).toEqual({ send: [], deferred: true });
  return writes;
}

describe('renumber', () => {
  it('moves every placeholder by the offset, not the text in quotes', () => {
    expect(renumber(`select "$1" , '$2''$3', $1, $12 from t where a = $2`, 10)).toBe(
      `select "$1" , '$2''$3', $11, $22 from t where a = $12`,
    );
  });

  it('refuses what it does not read: dollar quotes, comments, an open quote', () => {
    expect(renumber('select $$x$$', 1)).toBeNull();
    expect(renumber('select 1 -- $1', 1)).toBeNull();
    expect(renumber('select 1 /* c */', 1)).toBeNull();
    expect(renumber(`select 'open`, 1)).toBeNull();
  });
});

describe('combine', () => {
  it('makes the writes WITH clauses of the main statement, values in order', () => {
    expect(
      combine(
        [
          { text: 'insert into a values ($1, $2)', values: [1, 2] },
          { text: 'update b set c = $1', values: [3] },
        ],
        { text: 'select * from c where d = $1', values: [4] },
      ),
    ).toEqual({
      text: 'with motcua_w0 as (insert into a values ($1, $2)), motcua_w1 as (update b set c = $3) select * from c where d = $4',
      values: [1, 2, 3, 4],
    });
  });

  it('joins a main statement that has WITH clauses of its own', () => {
    expect(
      combine([{ text: 'insert into a values ($1)', values: [1] }], {
        text: 'with s as (select $1 as v) select v from s',
        values: [2],
      }).text,
    ).toBe('with motcua_w0 as (insert into a values ($1)), s as (select $2 as v) select v from s');
  });

  it('without a main statement, the last write is the main one', () => {
    expect(
      combine(
        [
          { text: 'insert into a values ($1)', values: [1] },
          { text: 'insert into b values ($1)', values: [2] },
        ],
        null,
      ),
    ).toEqual({
      text: 'with motcua_w0 as (insert into a values ($1)) insert into b values ($2)',
      values: [1, 2],
    });
  });
});

describe('DeferredWrites', () => {
  it('outside a transaction a marked write runs at once, without its mark', () => {
    const writes = new DeferredWrites();
    expect(writes.step(insertA, [1, 2])).toEqual({
      send: [{ text: 'insert into "a" ("x", "y") values ($1, $2)', values: [1, 2] }],
      deferred: false,
    });
  });

  it('the BEGIN goes with the first statement that is sent, in the same round trip', () => {
    const writes = inTransaction();
    expect(writes.step('select $1', [1])).toEqual({
      send: [BEGIN, { text: 'select $1', values: [1] }],
      deferred: false,
    });
    // Once sent, the transaction's next statements go alone.
    expect(writes.step('select $1', [2]).send).toEqual([{ text: 'select $1', values: [2] }]);
    expect(writes.step('commit', []).send).toEqual([{ text: 'commit', values: [] }]);
  });

  it('START TRANSACTION with its settings waits like BEGIN', () => {
    const writes = new DeferredWrites();
    const start = 'start transaction isolation level serializable';
    expect(writes.step(start, [])).toEqual({ send: [], deferred: true });
    expect(writes.step('select 1', []).send[0]).toEqual({ text: start, values: [] });
  });

  it('a transaction that sends nothing never reaches the server, committed or rolled back', () => {
    for (const end of ['commit', 'rollback', 'end']) {
      const writes = inTransaction();
      if (end === 'rollback') writes.step(insertA, [1, 2]);
      expect(writes.step(end, []), end).toEqual({ send: [], deferred: true });
      expect(writes.pendingCount).toBe(0);
      // The connection's next statement is outside any transaction: no BEGIN before it.
      expect(writes.step('select 1', []).send).toEqual([{ text: 'select 1', values: [] }]);
    }
  });

  it('in a transaction, marked writes wait and ride with the next statement', () => {
    const writes = inTransaction();
    expect(writes.step(insertA, [1, 2])).toEqual({ send: [], deferred: true });
    expect(writes.step(insertB, [3])).toEqual({ send: [], deferred: true });
    expect(writes.pendingCount).toBe(2);
    expect(writes.step('select nextval($1)', ['s'])).toEqual({
      send: [
        BEGIN,
        {
          text: 'with motcua_w0 as (insert into "a" ("x", "y") values ($1, $2)), motcua_w1 as (insert into "b" ("z") values ($3)) select nextval($4)',
          values: [1, 2, 3, 's'],
        },
      ],
      deferred: false,
    });
    expect(writes.pendingCount).toBe(0);
  });

  it('a statement that names a pending table is sent after the writes, not with them', () => {
    const writes = inTransaction();
    writes.step('select 1', []);
    writes.step(insertA, [1, 2]);
    expect(writes.step('select * from "a" where "x" = $1', [1]).send).toEqual([
      { text: 'insert into "a" ("x", "y") values ($1, $2)', values: [1, 2] },
      { text: 'select * from "a" where "x" = $1', values: [1] },
    ]);
    // A table whose name only contains the pending one's is not the same table.
    writes.step(insertA, [1, 2]);
    expect(writes.step('select * from "b_a" where "x" = $1', [1]).send).toHaveLength(1);
  });

  it('COMMIT, savepoints and unreadable statements send the writes first, in one round trip', () => {
    for (const next of ['commit', 'savepoint "unit"', 'release savepoint "unit"', 'select $$x$$']) {
      const writes = inTransaction();
      writes.step(insertB, [3]);
      expect(writes.step(next, []), next).toEqual({
        send: [
          BEGIN,
          { text: 'insert into "b" ("z") values ($1)', values: [3] },
          { text: next, values: [] },
        ],
        deferred: false,
      });
    }
  });

  it('ROLLBACK, and ROLLBACK TO a savepoint, drop the writes', () => {
    for (const next of ['rollback', 'rollback to savepoint "unit"']) {
      const writes = inTransaction();
      writes.step('savepoint "unit"', []);
      writes.step(insertB, [3]);
      expect(writes.step(next, [])).toEqual({
        send: [{ text: next, values: [] }],
        deferred: false,
      });
      expect(writes.pendingCount).toBe(0);
    }
  });

  it('after COMMIT, marked writes run at once again', () => {
    const writes = inTransaction();
    writes.step('select 1', []);
    writes.step('commit', []);
    expect(writes.step(insertB, [3]).deferred).toBe(false);
  });

  it('two changes of one table, one of them not an insert, are never in one statement', () => {
    const writes = inTransaction();
    writes.step(insertA, [1, 2]);
    expect(writes.step(insertA, [3, 4])).toEqual({ send: [], deferred: true });
    const update = mark('update "a" set "x" = $1 where "y" = $2');
    expect(writes.step(update, [5, 6])).toEqual({ send: [], deferred: true });
    expect(writes.pendingCount).toBe(2);
    // The inserts, one statement; then the update, carried by the next statement.
    expect(writes.step('select 1', []).send).toEqual([
      BEGIN,
      {
        text: 'with motcua_w0 as (insert into "a" ("x", "y") values ($1, $2)) insert into "a" ("x", "y") values ($3, $4)',
        values: [1, 2, 3, 4],
      },
      {
        text: 'with motcua_w0 as (update "a" set "x" = $1 where "y" = $2) select 1',
        values: [5, 6],
      },
    ]);
  });

  it('a deferrable write with WITH clauses of its own waits as a statement, carrying the group', () => {
    const writes = inTransaction();
    writes.step(insertB, [1]);
    const withWrite =
      'with "c" as (insert into "d" ("z") values ($1) returning "z") insert into "a" select "z", $2 from "c"';
    expect(writes.step(mark(withWrite), [3, 4])).toEqual({ send: [], deferred: true });
    // One that reads the group's table closes the group, and waits after it.
    writes.step(insertB, [5]);
    const readsB = 'with "c" as (select "z" from "b") insert into "a" select "z", $1 from "c"';
    writes.step(mark(readsB), [6]);
    writes.step(insertB, [7]);
    expect(writes.step('commit', []).send).toEqual([
      BEGIN,
      {
        text: 'with motcua_w0 as (insert into "b" ("z") values ($1)), "c" as (insert into "d" ("z") values ($2) returning "z") insert into "a" select "z", $3 from "c"',
        values: [1, 3, 4],
      },
      { text: 'insert into "b" ("z") values ($1)', values: [5] },
      { text: readsB, values: [6] },
      { text: 'insert into "b" ("z") values ($1)', values: [7] },
      { text: 'commit', values: [] },
    ]);
  });

  it('keeps a statement under PostgreSQL’s limit of parameters, and sends what waits past it', () => {
    const writes = inTransaction();
    const many = Array.from({ length: 20_000 }, (_, i) => i);
    expect(writes.step(insertA, many)).toEqual({ send: [], deferred: true });
    expect(writes.step(insertB, many)).toEqual({
      send: [
        BEGIN,
        { text: 'insert into "a" ("x", "y") values ($1, $2)', values: many },
        { text: 'insert into "b" ("z") values ($1)', values: many },
      ],
      deferred: true,
    });
    writes.step(insertA, many);
    expect(writes.step('select $1', many).send.map((s) => s.values.length)).toEqual([
      20_000, 20_000,
    ]);
  });

  it('a cursor’s query takes the BEGIN and the writes first', () => {
    const writes = inTransaction();
    writes.step(insertB, [3]);
    expect(writes.takeFlush()).toEqual([
      BEGIN,
      { text: 'insert into "b" ("z") values ($1)', values: [3] },
    ]);
    expect(writes.takeFlush()).toEqual([]);
  });
});
