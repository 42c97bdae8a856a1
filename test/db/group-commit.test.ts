import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/database.js';
import { GroupCommit } from '../../src/db/group-commit.js';
import { UniqueViolationError } from '../../src/db/errors.js';

/** A file database (WAL, as in production) whose COMMITs are counted and can be made to fail. */
let sqlite: SQLite.Database;
let db: Db;
let commits: number;
let failCommit: boolean;
const file = path.join(os.tmpdir(), `motcua-group-commit-${process.pid}.db`);
const removeFiles = () => {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
};

beforeEach(async () => {
  removeFiles();
  sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table items (id integer primary key, name text not null unique)');
  commits = 0;
  failCommit = false;
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source);
    if (source.trim().toLowerCase() === 'commit') {
      const run = statement.run.bind(statement);
      statement.run = ((...args: unknown[]) => {
        if (failCommit) throw new Error('disk I/O error (simulated)');
        commits += 1;
        return run(...(args as []));
      }) as typeof statement.run;
    }
    return statement;
  }) as typeof sqlite.prepare;
  db = createDb(sqlite);
});
afterEach(async () => {
  await db.destroy();
  removeFiles();
});

const insert = (name: string) => (tx: Db) =>
  sql`insert into items (name) values (${name})`.execute(tx).then(() => name);
const names = () =>
  (sqlite.prepare('select name from items order by id').all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('GroupCommit', () => {
  it('commits units that arrive together in one transaction, each answered after it', async () => {
    const group = new GroupCommit(db);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => group.run(insert(`a${i}`))),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
    expect(commits).toBe(1);
    expect(names()).toHaveLength(20);
    // One at a time, each is its own transaction.
    await group.run(insert('b1'));
    await group.run(insert('b2'));
    expect(commits).toBe(3);
  });

  it('rolls back only the unit that fails, and gives its caller the error', async () => {
    const group = new GroupCommit(db);
    const outcomes = await Promise.allSettled([
      group.run(insert('x')),
      group.run(async (tx) => {
        await insert('y')(tx);
        await insert('x')(tx); // unique violation: y must go too
        return 'never';
      }),
      group.run(insert('z')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The engine's error arrives translated into the neutral one services match on.
    const reason = (outcomes[1] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(UniqueViolationError);
    expect((reason as UniqueViolationError).isOn('items.name')).toBe(true);
    expect(names()).toEqual(['x', 'z']);
    expect(commits).toBe(1);
  });

  it('acknowledges nothing when the COMMIT fails: every unit of the batch gets the error and nothing stays', async () => {
    const group = new GroupCommit(db);
    failCommit = true;
    const outcomes = await Promise.allSettled([group.run(insert('p')), group.run(insert('q'))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(names()).toEqual([]);
    failCommit = false;
    expect(await group.run(insert('r'))).toBe('r'); // and it goes on working
    expect(names()).toEqual(['r']);
  });

  it('splits a large burst into batches of at most 64', async () => {
    const group = new GroupCommit(db);
    await Promise.all(Array.from({ length: 150 }, (_, i) => group.run(insert(`c${i}`))));
    expect(names()).toHaveLength(150);
    expect(commits).toBe(3);
  });

  it('lets units that keep arriving turn after turn join the batch they arrive before', async () => {
    // Requests read from their sockets a little apart (the load generator, the network) reach
    // the queue on successive turns of the event loop: each turn that brings one more waits for
    // the next, so they share one COMMIT instead of the first going alone.
    const group = new GroupCommit(db, 'sqlite', { lingerMs: 10_000 });
    const answers: Promise<string>[] = [];
    for (let i = 0; i < 6; i++) {
      answers.push(group.run(insert(`t${i}`)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(answers)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    expect(commits).toBe(1);
  });

  it('waits for late units at most its linger time: a steady trickle does not hold the first unit', async () => {
    const group = new GroupCommit(db, 'sqlite', { lingerMs: 5 });
    let firstDone = false;
    const first = group.run(insert('first')).then((name) => {
      firstDone = true;
      return name;
    });
    // One more unit every turn, until the first is answered (or far past any linger).
    const more: Promise<string>[] = [];
    const started = Date.now();
    while (!firstDone && Date.now() - started < 10_000) {
      if (more.length < 40) more.push(group.run(insert(`m${more.length}`)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(firstDone).toBe(true);
    expect(await first).toBe('first');
    await Promise.all(more);
    expect(names()).toHaveLength(1 + more.length);
  });

  it('commits a lone unit after one turn with nothing new: no linger when nothing comes', async () => {
    const group = new GroupCommit(db, 'sqlite', { lingerMs: 10_000 });
    const started = performance.now();
    expect(await group.run(insert('alone'))).toBe('alone');
    // Nothing like the linger limit: one quiet turn ends the wait.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(commits).toBe(1);
  });
});
