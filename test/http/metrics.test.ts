import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { latestMigrationName } from '../../src/db/migrate.js';
import { drainOnce } from '../../src/notifications/sender.js';
import { requestObserver } from '../../src/http/request-logger.js';
import { openEventStream } from '../support/event-stream.js';
import { until } from '../support/wait.js';
import { accountNamed, validIntake } from '../support/factories.js';
import {
  createTestApp,
  csrfFrom,
  placeholders,
  rawSql,
  TEST_ENGINE,
  type TestApp,
} from '../support/test-app.js';

const OFFICE = '000.00.13.H40';
const TOKEN = 'metrics-token-'.padEnd(40, 'x');
let t: TestApp;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function setup(env: Record<string, string> = {}) {
  t = await createTestApp({ env });
  cleanups.push(() => t.close());
}

/** The sum of the samples of `name` whose labels include `labels`, from the Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) total += Number(m[3]);
  }
  return total;
}

/** Scrapes as Prometheus on this machine would; the clock moves past the readings' cache first. */
async function scrape(): Promise<string> {
  t.clock.advanceMinutes(1);
  const res = await request(t.app).get('/metrics');
  expect(res.status).toBe(200);
  return res.text;
}

describe('GET /metrics: who may read it', () => {
  it('is open to this machine and to the metrics token; refused (401) to a client elsewhere without it', async () => {
    await setup({ TRUST_PROXY: 'true', METRICS_TOKEN: TOKEN });
    const local = await request(t.app).get('/metrics');
    expect(local.status).toBe(200);
    expect(local.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(local.text).toContain('# TYPE motcua_http_request_duration_seconds histogram');

    // Behind the trusted proxy the client is the one X-Forwarded-For names.
    const elsewhere = () => request(t.app).get('/metrics').set('X-Forwarded-For', '203.0.113.7');
    const refused = await elsewhere();
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(refused.text).not.toContain('motcua_');
    expect((await elsewhere().set('Authorization', 'Bearer wrong-token')).status).toBe(401);
    const withToken = await elsewhere().set('Authorization', `Bearer ${TOKEN}`);
    expect(withToken.status).toBe(200);
    expect(withToken.text).toContain('motcua_build_info');
  });

  it('does not take a request a proxy on this machine forwarded as local when TRUST_PROXY is off', async () => {
    await setup({ METRICS_TOKEN: TOKEN });
    const forwarded = await request(t.app).get('/metrics').set('X-Forwarded-For', '203.0.113.7');
    expect(forwarded.status).toBe(401);
    expect((await request(t.app).get('/metrics').set('X-Real-IP', '203.0.113.7')).status).toBe(401);
    const withToken = await request(t.app)
      .get('/metrics')
      .set('X-Forwarded-For', '203.0.113.7')
      .set('Authorization', `Bearer ${TOKEN}`);
    expect(withToken.status).toBe(200);
  });

  it('has no token unless one is configured: a client elsewhere is refused whatever it sends', async () => {
    await setup({ TRUST_PROXY: 'true' });
    const res = await request(t.app)
      .get('/metrics')
      .set('X-Forwarded-For', '203.0.113.7')
      .set('Authorization', 'Bearer anything');
    expect(res.status).toBe(401);
  });
});

describe('GET /metrics: each figure moves with its cause', () => {
  it('counts requests per route pattern and status, never the raw URL with codes or ID numbers', async () => {
    await setup();
    const before = await scrape();
    const page = { method: 'GET', route: '/tra-cuu', status: '404' };
    expect(sample(before, 'motcua_http_request_duration_seconds_count', page)).toBe(0);
    for (let i = 0; i < 3; i++)
      await request(t.app)
        .get('/tra-cuu')
        .query({ ma: `000.00.13.H40-260310-000${i}`, khoa: 'ABC123' });
    await request(t.app).get('/xep-hang/035090001234');
    await request(t.app).get('/khong-co/035090001234');
    const after = await scrape();
    expect(sample(after, 'motcua_http_request_duration_seconds_count', page)).toBe(3);
    expect(
      sample(after, 'motcua_http_request_duration_seconds_count', {
        route: '/xep-hang/:key',
        status: '404',
      }),
    ).toBe(1);
    expect(
      sample(after, 'motcua_http_request_duration_seconds_count', { route: 'unmatched' }),
    ).toBe(1);
    expect(
      sample(after, 'motcua_http_request_duration_seconds_bucket', { ...page, le: '+Inf' }),
    ).toBe(3);
    for (const secret of ['035090001234', '260310', 'ABC123']) expect(after).not.toContain(secret);
  });

  it('logs and counts each request once; a request its client gave up on is logged as aborted, not timed', async () => {
    await setup();
    const lines: Record<string, any>[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _e, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    const app = express();
    app.use(requestObserver({ ...t.ctx, logger }));
    app.get('/quick', (_req, res) => void res.status(201).send('ok'));
    let arrived = false;
    // Answers only after its client has gone.
    app.get('/slow', (req, res) => {
      arrived = true;
      req.once('close', () => setTimeout(() => res.end(), 20));
    });
    const server = app.listen(0, '127.0.0.1');
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    );
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect((await fetch(`${base}/quick`)).status).toBe(201);
    await until(() => lines.length === 1, 'the first request to be logged');
    const controller = new AbortController();
    const slow = fetch(`${base}/slow`, { signal: controller.signal }).catch(() => 'aborted');
    await until(() => arrived, 'the slow request to arrive');
    controller.abort();
    expect(await slow).toBe('aborted');
    await until(() => lines.length === 2, 'the aborted request to be logged');
    expect(lines.map((l) => [l.msg, l.req.path, l.res.statusCode, l.level])).toEqual([
      ['request completed', '/quick', 201, 30],
      ['request aborted', '/slow', 200, 50],
    ]);
    const text = await scrape();
    expect(
      sample(text, 'motcua_http_request_duration_seconds_count', {
        route: '/quick',
        status: '201',
      }),
    ).toBe(1);
    expect(sample(text, 'motcua_http_request_duration_seconds_count', { route: '/slow' })).toBe(0);
  });

  it('times database statements', async () => {
    await setup();
    const before = sample(await scrape(), 'motcua_db_statement_duration_seconds_count', {
      kind: 'select',
    });
    await request(t.app).get('/tra-cuu').query({ ma: '000.00.13.H40-260310-0001', khoa: 'ABC123' });
    const after = await scrape();
    expect(
      sample(after, 'motcua_db_statement_duration_seconds_count', { kind: 'select' }),
    ).toBeGreaterThan(before);
    expect(sample(after, 'motcua_db_statement_duration_seconds_sum')).toBeGreaterThan(0);
  });

  it('shows the process: event-loop lag after the loop was held, heap and memory', async () => {
    await setup();
    await scrape(); // the event-loop monitor runs from the first scrape (or the server's start)
    // Holds the event loop for 150 ms, then reads the lag. On a busy machine the monitor's timer
    // may not have been armed yet when the first hold came, so it is held again (at most 5 times)
    // until a scrape sees it: the figure must move with its cause, however long that takes.
    let text = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      // Each scrape resets Node's delay histogram, and the first interval it measures after a
      // reset is not recorded: a hold right after the scrape went unseen on a fast machine
      // (measured on Node 20.20). Its timer (10 ms) ticks once before the hold.
      await new Promise((r) => setTimeout(r, 30));
      const until = performance.now() + 150;
      while (performance.now() < until); // holds the event loop
      await new Promise((r) => setTimeout(r, 20));
      text = await scrape();
      if (sample(text, 'nodejs_eventloop_lag_max_seconds') >= 0.1) break;
    }
    expect(sample(text, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(0.1);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts the outbox per channel and the age of its oldest due message, down again once sent', async () => {
    await setup();
    const depth = (text: string) => sample(text, 'motcua_outbox_depth', { channel: 'sms' });
    const age = (text: string) =>
      sample(text, 'motcua_outbox_oldest_age_seconds', { channel: 'sms' });
    const before = await scrape();
    expect(depth(before)).toBe(0);
    expect(age(before)).toBe(0);
    await receiveDossier(
      t.ctx,
      await accountNamed(t.ctx, 'canbo'),
      await validIntake(t.ctx, { notify: ['sms'] }),
    );
    const queued = await scrape(); // the scrape moved the clock a minute on: due a minute ago
    // The receipt is due now; the reminder waits for the day before the appointment.
    expect(depth(queued)).toBe(1);
    expect(age(queued)).toBe(60);
    expect(sample(queued, 'motcua_outbox_depth', { channel: 'zalo' })).toBe(0);
    expect(await drainOnce(t.ctx, 'test')).toBe(1);
    const sent = await scrape();
    expect(depth(sent)).toBe(0);
    expect(age(sent)).toBe(0);
  });

  it('counts the units each group-committed transaction carried', async () => {
    await setup();
    const batches = (text: string) => sample(text, 'motcua_group_commit_batch_units_count');
    const units = (text: string) => sample(text, 'motcua_group_commit_batch_units_sum');
    const before = await scrape();
    const account = await accountNamed(t.ctx, 'canbo');
    const bodies = await Promise.all([1, 2, 3].map(() => validIntake(t.ctx)));
    // Three intakes at once share one transaction, on either engine.
    const results = await Promise.all(bodies.map((body) => receiveDossier(t.ctx, account, body)));
    expect(results.every((r) => r.code !== null)).toBe(true);
    const after = await scrape();
    expect(batches(after) - batches(before)).toBe(1);
    expect(units(after) - units(before)).toBe(3);
    expect(
      sample(after, 'motcua_group_commit_batch_units_bucket', { le: '4' }) -
        sample(before, 'motcua_group_commit_batch_units_bucket', { le: '4' }),
    ).toBe(1);
  });

  it('counts the tickets waiting per office', async () => {
    await setup();
    const kiosk = await issueApiToken(
      t.ctx,
      (await accountNamed(t.ctx, 'canbo')).id,
      'kiosk',
      null,
      { scope: 'kiosk' },
    );
    const waiting = (text: string) =>
      sample(text, 'motcua_queue_tickets_waiting', { office: OFFICE });
    expect(waiting(await scrape())).toBe(0);
    for (let i = 0; i < 2; i++) {
      const res = await request(t.app)
        .post('/api/v1/queue/tickets')
        .set('Authorization', `Bearer ${kiosk}`)
        .send({ office: OFFICE, service_group: 'CC' });
      expect(res.status).toBe(201);
    }
    expect(waiting(await scrape())).toBe(2);
  });

  it('counts the open event streams', async () => {
    await setup();
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const open = (text: string) => sample(text, 'motcua_event_streams_open');
    expect(open(await scrape())).toBe(0);
    const closers = [
      await openEventStream(`${base}/man-hinh/${OFFICE}/su-kien`, () => {}),
      await openEventStream(`${base}/man-hinh/${OFFICE}/su-kien`, () => {}),
    ];
    // The stream answers 200 before it subscribes: wait for both to be listening.
    while (t.ctx.queueHub.listenerCount < 2) await new Promise((r) => setTimeout(r, 10));
    expect(open(await scrape())).toBe(2);
    for (const close of closers) close();
    while (t.ctx.queueHub.listenerCount > 0) await new Promise((r) => setTimeout(r, 10));
    expect(open(await scrape())).toBe(0);
  });

  it('counts failed logins by reason', async () => {
    await setup();
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get('/dang-nhap')).text);
    const failures = (text: string) =>
      sample(text, 'motcua_login_failures_total', { reason: 'refused' });
    expect(failures(await scrape())).toBe(0);
    const res = await agent
      .post('/dang-nhap')
      .type('form')
      .send({ username: 'quantri', password: 'sai-mat-khau', _csrf: csrf });
    expect(res.status).toBe(401);
    expect(failures(await scrape())).toBe(1);
  });

  it('counts requests refused by a rate limit, per route', async () => {
    await setup({ LOOKUP_RATE_LIMIT_PER_MIN: '2' });
    const refusals = (text: string) =>
      sample(text, 'motcua_rate_limit_refusals_total', { route: '/api/v1/lookup' });
    expect(refusals(await scrape())).toBe(0);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await request(t.app).get('/api/v1/lookup').query({ code: 'X-1', key: 'ABC123' })).status,
      );
    expect(statuses).toEqual([404, 404, 429]);
    // Scraping moves the clock a minute on, which opens a new window: only the one refusal counts.
    expect(refusals(await scrape())).toBe(1);
  });

  it('names the build: version, engine and Node.js', async () => {
    await setup();
    expect(
      sample(await scrape(), 'motcua_build_info', {
        version: '0.1.0',
        engine: TEST_ENGINE,
        node: process.version,
      }),
    ).toBe(1);
  });
});

describe('liveness and readiness', () => {
  it('/healthz answers while the process runs; /readyz says whether it should get traffic', async () => {
    await setup();
    expect((await request(t.app).get('/healthz')).body).toEqual({ ok: true });
    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      ok: true,
      database: 'reachable',
      migration: latestMigrationName(),
      migrationsPending: false,
      shuttingDown: false,
    });
  });

  it('/readyz answers 503 while the process shuts down (liveness still 200)', async () => {
    await setup();
    t.ctx.lifecycle.shuttingDown = true;
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ ok: false, database: 'reachable', shuttingDown: true });
    expect((await request(t.app).get('/healthz')).status).toBe(200);
  });

  it('/readyz answers 503 while a migration is pending', async () => {
    await setup();
    await rawSql(t.ctx, placeholders(t.ctx, 'delete from kysely_migration where name = ?'), [
      latestMigrationName(),
    ]);
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ ok: false, migrationsPending: true, shuttingDown: false });
  });
});
