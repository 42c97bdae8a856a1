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

function inTransaction() {
  const writes = new DeferredWrites();
  expect(writes.step('begin', [])).toEqual({
    flush: null,
    statement: { text: 'begin', values: [] },
  });
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
      flush: null,
      statement: { text: 'insert into "a" ("x", "y") values ($1, $2)', values: [1, 2] },
    });
  });

  it('in a transaction, marked writes wait and ride with the next statement', () => {
    const writes = inTransaction();
    expect(writes.step(insertA, [1, 2])).toEqual({ flush: null, statement: null });
    expect(writes.step(insertB, [3])).toEqual({ flush: null, statement: null });
    expect(writes.pendingCount).toBe(2);
    const { flush, statement } = writes.step('select nextval($1)', ['s']);
    expect(flush).toBeNull();
    expect(statement).toEqual({
      text: 'with motcua_w0 as (insert into "a" ("x", "y") values ($1, $2)), motcua_w1 as (insert into "b" ("z") values ($3)) select nextval($4)',
      values: [1, 2, 3, 's'],
    });
    expect(writes.pendingCount).toBe(0);
  });

  it('a statement that names a pending table is sent after the writes, not with them', () => {
    const writes = inTransaction();
    writes.step(insertA, [1, 2]);
    const { flush, statement } = writes.step('select * from "a" where "x" = $1', [1]);
    expect(flush).toEqual({ text: 'insert into "a" ("x", "y") values ($1, $2)', values: [1, 2] });
    expect(statement).toEqual({ text: 'select * from "a" where "x" = $1', values: [1] });
    // A table whose name only contains the pending one's is not the same table.
    writes.step(insertA, [1, 2]);
    expect(writes.step('select * from "b_a" where "x" = $1', [1]).flush).toBeNull();
  });

  it('COMMIT, savepoints and unreadable statements send the writes first', () => {
    for (const next of ['commit', 'savepoint "unit"', 'release savepoint "unit"', 'select $$x$$']) {
      const writes = inTransaction();
      writes.step(insertB, [3]);
      const { flush, statement } = writes.step(next, []);
      expect(flush, next).toEqual({ text: 'insert into "b" ("z") values ($1)', values: [3] });
      expect(statement).toEqual({ text: next, values: [] });
    }
  });

  it('ROLLBACK, and ROLLBACK TO a savepoint, drop the writes', () => {
    for (const next of ['rollback', 'rollback to savepoint "unit"']) {
      const writes = inTransaction();
      writes.step(insertB, [3]);
      expect(writes.step(next, [])).toEqual({ flush: null, statement: { text: next, values: [] } });
      expect(writes.pendingCount).toBe(0);
    }
  });

  it('after COMMIT, marked writes run at once again', () => {
    const writes = inTransaction();
    writes.step('commit', []);
    expect(writes.step(insertB, [3]).statement).not.toBeNull();
  });

  it('two changes of one table, one of them not an insert, are never in one statement', () => {
    const writes = inTransaction();
    writes.step(insertA, [1, 2]);
    expect(writes.step(insertA, [3, 4])).toEqual({ flush: null, statement: null });
    const update = mark('update "a" set "x" = $1 where "y" = $2');
    const { flush, statement } = writes.step(update, [5, 6]);
    expect(statement).toBeNull();
    expect(flush?.values).toEqual([1, 2, 3, 4]);
    expect(writes.pendingCount).toBe(1);
  });

  it('keeps a statement under PostgreSQL’s limit of parameters', () => {
    const writes = inTransaction();
    const many = Array.from({ length: 20_000 }, (_, i) => i);
    writes.step(insertA, many);
    expect(writes.step(insertB, many)).toEqual({
      flush: { text: 'insert into "a" ("x", "y") values ($1, $2)', values: many },
      statement: null,
    });
    expect(writes.step('select $1', many).flush?.values).toEqual(many);
  });

  it('a cursor’s query takes the writes first', () => {
    const writes = inTransaction();
    writes.step(insertB, [3]);
    expect(writes.takeFlush()).toEqual({ text: 'insert into "b" ("z") values ($1)', values: [3] });
    expect(writes.takeFlush()).toBeNull();
  });
});
