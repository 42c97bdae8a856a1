import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createAppContext, type AppContext } from '../../src/context.js';
import { configureSqlite, type Db } from '../../src/db/database.js';
import {
  createReadWorkersDb,
  readWorkerQueueCounts,
  warmReadWorkers,
} from '../../src/db/sqlite-read-workers.js';
import { BOOK_ENCODING_MODULE } from '../../src/reports/exporters.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { FixedClock } from '../../src/lib/clock.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { writeSeededSqliteFile } from '../support/seeded-template.js';
import { loginAs, TEST_ENGINE } from '../support/test-app.js';

/**
 * The report reads on worker threads (SQLITE_READ_WORKERS): read-only connections to the same
 * SQLite file, each statement to the first free worker. SQLite only: on PostgreSQL the reports
 * read the pool (or the replica) and this module is not used.
 */
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-readers-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A WAL database file with a table of `rows` numbered rows, its writer, and workers reading it. */
function fileWithWorkers(rows: number, count = 2): { writer: SQLite.Database; readers: Db } {
  const file = path.join(tempDir(), 'db.sqlite');
  const writer = new SQLite(file);
  configureSqlite(writer);
  writer.exec('create table t (id integer primary key, name text, score real, note text)');
  const insert = writer.prepare('insert into t (id, name, score, note) values (?, ?, ?, ?)');
  writer.transaction(() => {
    for (let i = 1; i <= rows; i++) insert.run(i, `hồ sơ ${i}`, i / 4, i % 3 === 0 ? null : 'x');
  })();
  const readers = createReadWorkersDb(file, { count });
  cleanup.push(() => {
    writer.close();
  });
  cleanup.push(() => readers.destroy());
  return { writer, readers };
}

describe.runIf(TEST_ENGINE === 'sqlite')('SQLite reads on worker threads', () => {
  it('reads what the main connection reads, parameters, text, reals and nulls included', async () => {
    const { writer, readers } = fileWithWorkers(50);
    const main = writer.prepare('select * from t where id between ? and ? order by id').all(3, 9);
    const { rows } = await sql`select * from t where id between ${3} and ${9} order by id`.execute(
      readers,
    );
    expect(rows).toEqual(main);
    expect(rows).toHaveLength(7);
    expect(rows[0]).toEqual({ id: 3, name: 'hồ sơ 3', score: 0.75, note: null });
  });

  it('hands rows over as JSON only when JSON keeps them: blobs, big integers and look-alike text', async () => {
    const { writer, readers } = fileWithWorkers(3);
    // Text that looks like JSON or like a serialised Buffer, quotes, backslashes, new lines,
    // unpaired surrogates' neighbours, reals and integers at the edge of exactness, a repeated
    // column name (the last one wins, as better-sqlite3 gives it).
    const tricky = sql`select '{"type":"Buffer","data":[1]}' as a, 'say "hi"\\ \n' as b,
      '🧾 hồ sơ' as c, 0.1 + 0.2 as d, 9007199254740991 as e, -0.0 as f, 1 as a2, 2 as a2`;
    const main = writer.prepare(tricky.compile(readers).sql).all();
    const { rows } = await tricky.execute(readers);
    expect(rows).toEqual(main);
    expect((rows[0] as { a: string }).a).toBe('{"type":"Buffer","data":[1]}');
    // A blob cannot travel as JSON: the same rows come back as a structured clone.
    const blob = sql<{ id: number; b: Uint8Array }>`select id, x'00ff10' as b from t order by id`;
    const viaWorker = (await blob.execute(readers)).rows;
    expect(viaWorker).toHaveLength(3);
    expect([...viaWorker[0]!.b]).toEqual([0, 255, 16]);
    // Reals JSON would change (-0, infinities) come back as they are, by a structured clone.
    const edges = sql`select -0.0 as z, 1e999 as inf, -1e999 as ninf`;
    const edgeRows = (await edges.execute(readers)).rows;
    expect(edgeRows).toEqual(writer.prepare(edges.compile(readers).sql).all());
    expect(Object.is((edgeRows[0] as { z: number }).z, -0)).toBe(true);
    expect((edgeRows[0] as { inf: number }).inf).toBe(Infinity);
    // A value beyond a double's exact integers arrives as the same (rounded) number.
    const big = sql<{ n: number }>`select 9223372036854775807 as n`;
    expect((await big.execute(readers)).rows).toEqual(
      writer.prepare('select 9223372036854775807 as n').all(),
    );
  });

  it('sees every commit made on the main connection before the statement', async () => {
    const { writer, readers } = fileWithWorkers(5);
    const count = async () =>
      Number((await sql<{ n: number }>`select count(*) as n from t`.execute(readers)).rows[0]!.n);
    expect(await count()).toBe(5);
    writer.prepare("insert into t (id, name) values (100, 'mới')").run();
    expect(await count()).toBe(6);
    writer.prepare('delete from t where id <= 2').run();
    expect(await count()).toBe(4);
  });

  it('runs statements side by side: a short one ends while a long one still runs', async () => {
    const { readers } = fileWithWorkers(1);
    const order: string[] = [];
    // Counting to 30 million in a recursive CTE keeps one worker busy for seconds.
    const long =
      sql`with recursive c(x) as (select 1 union all select x + 1 from c where x < 30000000)
      select count(*) as n from c`
        .execute(readers)
        .then(() => order.push('long'));
    const short = sql`select 1 as one`.execute(readers).then(() => order.push('short'));
    await Promise.all([long, short]);
    expect(order).toEqual(['short', 'long']);
  });

  it('gives a busy worker its next statement, and answers every statement with its own rows or error', async () => {
    const { readers } = fileWithWorkers(200);
    // Sixty statements at once: two run, the next two wait in the workers' own queues, the rest
    // in the pool's. Every fifth one fails; each answer must be its own statement's.
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        i % 5 === 4
          ? sql`select * from missing_${sql.raw(String(i))}`.execute(readers)
          : sql<{
              id: number;
              i: number;
            }>`select id, ${i} as i from t where id <= ${i + 1} order by id`.execute(readers),
      ),
    );
    results.forEach((r, i) => {
      if (i % 5 === 4) {
        expect(r.status).toBe('rejected');
        expect(String((r as PromiseRejectedResult).reason)).toContain(`missing_${i}`);
      } else {
        expect(r.status).toBe('fulfilled');
        const rows = (r as PromiseFulfilledResult<{ rows: { id: number; i: number }[] }>).value
          .rows;
        expect(rows).toHaveLength(i + 1);
        expect(rows.every((row) => row.i === i)).toBe(true);
      }
    });
    expect(readWorkerQueueCounts(readers)!.queuedOnBusy).toBeGreaterThan(0);
  });

  it('takes a statement back from a busy worker’s queue when another worker falls idle first', async () => {
    const { readers } = fileWithWorkers(1);
    const order: string[] = [];
    const count = (n: number, name: string) =>
      sql`with recursive c(x) as (select 1 union all select x + 1 from c where x < ${n})
      select count(*) as n from c`
        .execute(readers)
        .then(() => order.push(name));
    // The long one takes the first worker, the medium one the second; the short one is posted
    // behind the long one, and moves to the second worker when the medium one ends.
    const long = count(30_000_000, 'long');
    const medium = count(200_000, 'medium');
    const short = sql`select 1 as one`.execute(readers).then(() => order.push('short'));
    await Promise.all([medium, short]);
    expect(order).toEqual(['medium', 'short']);
    expect(readWorkerQueueCounts(readers)).toEqual({ queuedOnBusy: 1, takenBack: 1 });
    // While the long one still runs, its worker is given nothing more (it has a statement to
    // skip): the next statement waits behind the second medium one on the second worker, and
    // nothing is taken back (given to the first worker, it would be taken back again).
    const again = [count(200_000, 'medium 2'), sql`select 2`.execute(readers)];
    await Promise.all(again);
    expect(readWorkerQueueCounts(readers)).toEqual({ queuedOnBusy: 2, takenBack: 1 });
    await long;
    expect(order).toEqual(['medium', 'short', 'medium 2', 'long']);
    // The first worker skipped the statement taken back, and both still answer.
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) => sql<{ v: number }>`select ${i} as v`.execute(readers)),
    );
    expect(answers.map((a) => a.rows[0]!.v)).toEqual([1, 2, 3, 4]);
  });

  it('queues no statement on a busy worker ahead of a job waiting for an idle one', async () => {
    const { readers } = fileWithWorkers(100);
    const order: string[] = [];
    const count = (n: number, name: string) =>
      sql`with recursive c(x) as (select 1 union all select x + 1 from c where x < ${n})
      select count(*) as n from c`
        .execute(readers)
        .then(() => order.push(name));
    // Both workers busy; then a stream (which waits for an idle worker) and two statements.
    const long = count(30_000_000, 'long');
    const medium = count(200_000, 'medium');
    const stream = (async () => {
      for await (const _ of readers
        .selectFrom('t' as never)
        .selectAll()
        .stream(10)) {
        order.push('stream');
        break;
      }
    })();
    await new Promise((resolve) => setImmediate(resolve)); // the stream's first message is queued
    const after = [1, 2].map((i) =>
      sql`select ${i} as v`.execute(readers).then(() => order.push(`after ${i}`)),
    );
    await Promise.all([medium, stream, ...after]);
    // The stream took the second worker as it fell idle: no statement had been queued on it.
    expect(order.slice(0, 2)).toEqual(['medium', 'stream']);
    await long;
  });

  it('streams rows in order across chunks, and a stream left early frees its worker', async () => {
    const { readers } = fileWithWorkers(2_345);
    const ids: number[] = [];
    for await (const row of readers
      .selectFrom('t' as never)
      .select('id' as never)
      .orderBy('id' as never)
      .stream(100))
      ids.push((row as { id: number }).id);
    expect(ids).toEqual(Array.from({ length: 2_345 }, (_, i) => i + 1));

    let seen = 0;
    for await (const _ of readers
      .selectFrom('t' as never)
      .selectAll()
      .stream(10)) {
      if (++seen === 15) break;
    }
    expect(seen).toBe(15);
    // Both workers still answer (one of them held the stream).
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) => sql<{ v: number }>`select ${i} as v`.execute(readers)),
    );
    expect(answers.map((a) => a.rows[0]!.v)).toEqual([1, 2, 3, 4]);
  });

  it('fails a bad statement with SQLite’s message, refuses writes and transactions, and goes on', async () => {
    const { readers } = fileWithWorkers(3);
    await expect(sql`select * from missing_table`.execute(readers)).rejects.toThrow(
      /no such table: missing_table/,
    );
    await expect(sql`delete from t`.execute(readers)).rejects.toMatchObject({
      code: 'SQLITE_READONLY',
    });
    await expect(readers.transaction().execute(async () => 1)).rejects.toThrow(/no transactions/);
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(readers);
    expect(rows[0]!.n).toBe(3);
  });

  it('serves the report and the tracking book as the main connection does', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'motcua.db');
    await writeSeededSqliteFile(file);
    const contexts: AppContext[] = [];
    const open = (workers: string) => {
      const ctx = createAppContext(
        loadConfig({
          NODE_ENV: 'test',
          SESSION_SECRET: 'x'.repeat(32),
          DATABASE_URL: `file:${file}`,
          SQLITE_READ_WORKERS: workers,
        }),
        { clock: new FixedClock('2026-03-10T02:00:00Z'), logger: pino({ level: 'silent' }) },
      );
      contexts.push(ctx);
      cleanup.push(() => ctx.destroy());
      return ctx;
    };
    const withWorkers = open('2');
    const onMain = open('0');
    expect(withWorkers.reportDb).not.toBe(withWorkers.db);
    expect(onMain.reportDb).toBe(onMain.db);

    const officer = await accountNamed(withWorkers, 'canbo');
    const codes: string[] = [];
    for (let i = 0; i < 3; i++)
      codes.push(
        (await receiveDossier(withWorkers, officer, await validIntake(withWorkers))).code!,
      );

    const read = async (ctx: AppContext) => {
      const agent = await loginAs(createApp(ctx), 'lanhdao');
      const summary = await agent
        .get('/api/v1/reports/summary')
        .query({ from: '2026-03-01', to: '2026-03-31' });
      const page = await agent.get('/bao-cao').query({ period: 'month' });
      const book = await agent.get('/bao-cao/xuat/so-theo-doi.csv').query({ period: 'month' });
      return { summary, page, book };
    };
    const a = await read(withWorkers);
    const b = await read(onMain);
    expect(a.summary.status, a.summary.text).toBe(200);
    expect(a.summary.body.totals.received).toBe(3);
    expect(a.summary.body).toEqual(b.summary.body);
    expect(a.page.status).toBe(200);
    expect(a.book.status).toBe(200);
    expect(a.book.text).toBe(b.book.text);
    for (const code of codes) expect(a.book.text).toContain(code);
  });

  it('writes a book of several pages on the workers as on the main thread, CSV and XLSX', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'motcua.db');
    await writeSeededSqliteFile(file);
    const open = (workers: string) => {
      const ctx = createAppContext(
        loadConfig({
          NODE_ENV: 'test',
          SESSION_SECRET: 'x'.repeat(32),
          DATABASE_URL: `file:${file}`,
          SQLITE_READ_WORKERS: workers,
        }),
        { clock: new FixedClock('2026-03-10T02:00:00Z'), logger: pino({ level: 'silent' }) },
      );
      cleanup.push(() => ctx.destroy());
      return ctx;
    };
    const withWorkers = open('2');
    const onMain = open('0');
    const officer = await accountNamed(withWorkers, 'canbo');
    const first = await receiveDossier(withWorkers, officer, await validIntake(withWorkers));
    // 2,600 more of the same dossier, one a minute: three pages and a part, encoded on the
    // workers a page each, and a name that CSV and XML must both escape.
    const writer = new SQLite(file);
    cleanup.push(() => void writer.close());
    const columns = (writer.prepare('pragma table_info(dossiers)').all() as { name: string }[])
      .map((c) => c.name)
      .filter((c) => c !== 'id');
    const value = (c: string) =>
      c === 'code'
        ? "code || '-' || k.i"
        : c === 'form_token'
          ? 'null'
          : c === 'received_at'
            ? "strftime('%Y-%m-%dT%H:%M:%fZ', '2026-03-02T01:00:00Z', '+' || k.i || ' minutes')"
            : c === 'applicant_name'
              ? `'Lê "Bé" <Tư>, ' || k.i`
              : c;
    writer
      .prepare(
        `with recursive k(i) as (select 1 union all select i + 1 from k where i < 2600)
         insert into dossiers (${columns.join(', ')})
         select ${columns.map(value).join(', ')} from dossiers, k where dossiers.id = ?`,
      )
      .run(first.dossierId);

    const read = async (ctx: AppContext) => {
      const agent = await loginAs(createApp(ctx), 'lanhdao');
      const csv = await agent.get('/bao-cao/xuat/so-theo-doi.csv').query({ period: 'month' });
      const xlsx = await agent
        .get('/bao-cao/xuat/so-theo-doi.xlsx')
        .query({ period: 'month' })
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      return { csv, xlsx };
    };
    // As the server starts: the workers load the encoding and warm it up on made-up rows.
    expect(BOOK_ENCODING_MODULE).not.toBeNull();
    await warmReadWorkers(withWorkers.reportDb, [BOOK_ENCODING_MODULE]);
    const a = await read(withWorkers);
    const b = await read(onMain);
    expect(a.csv.status).toBe(200);
    expect(a.csv.text).toBe(b.csv.text);
    const lines = a.csv.text.split('\r\n');
    const rows = lines.filter((l) => /^\d+,/.test(l));
    expect(rows).toHaveLength(2601);
    // Numbered 1…2,601 in receipt order, each dossier once.
    expect(rows.map((l) => Number(l.split(',')[0]))).toEqual(
      Array.from({ length: 2601 }, (_, i) => i + 1),
    );
    expect(a.csv.text).toContain('"Lê ""Bé"" <Tư>, 2600"');

    const sheet = async (bytes: Buffer) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      const values: unknown[][] = [];
      workbook.worksheets[0]!.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
      return values;
    };
    expect(a.xlsx.status).toBe(200);
    const fromWorkers = await sheet(a.xlsx.body as Buffer);
    expect(fromWorkers).toEqual(await sheet(b.xlsx.body as Buffer));
    const numbered = fromWorkers.filter((r) => typeof r[0] === 'number');
    expect(numbered.map((r) => r[0])).toEqual(Array.from({ length: 2601 }, (_, i) => i + 1));
    expect(numbered[2599]![5]).toBe('Lê "Bé" <Tư>, 2600');
  });
});
