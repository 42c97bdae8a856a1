import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { NotFoundError, TooManyRequestsError } from '../../src/errors.js';
import { handedOver } from '../../src/lookup/lookup-front-door.js';
import { lookupRoutes } from '../../src/lookup/lookup.routes.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// The citizen's lookup answered in front of Express (src/lookup/lookup-front-door.ts): which
// requests the door takes, that what it answers is what Express would, and that a request it
// hands over is counted, limited, timed and logged once.
let t: TestApp;
afterEach(() => t?.close());

async function dossier() {
  const result = await receiveDossier(
    t.ctx,
    await accountNamed(t.ctx, 'canbo'),
    await validIntake(t.ctx),
  );
  return { code: result.code!, key: result.lookupKey! };
}

/** The door alone on a plain Node.js listener: what it does not take, or hands over, says so. */
function doorAlone(logLines: Record<string, unknown>[] = []) {
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _e, done) {
        logLines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  const { frontDoor } = lookupRoutes({ ...t.ctx, logger }, () => false);
  const handed: unknown[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const taken = frontDoor(req, res, () => {
      handed.push(handedOver.get(req));
      res.writeHead(299).end('handed over');
    });
    if (!taken) res.writeHead(298).end('left to Express');
  };
  return { listener, handed };
}

describe('the lookup front door', () => {
  it('takes a GET of exactly the two lookup paths and leaves every other request to Express', async () => {
    t = await createTestApp();
    const { code, key } = await dossier();
    const lines: Record<string, unknown>[] = [];
    const { listener, handed } = doorAlone(lines);
    const json = await request(listener)
      .get('/api/v1/lookup')
      .set('x-request-id', 'abc-123')
      .query({ code, key });
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.body.dossier.code).toBe(code);
    expect(json.headers['x-request-id']).toBe('abc-123');
    expect(json.headers['cache-control']).toBe('no-store');
    expect(json.headers['content-security-policy']).toContain("default-src 'self'");
    const form = await request(listener).get('/tra-cuu');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Tra cứu');
    expect(form.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const left = [
      request(listener).head('/tra-cuu'),
      request(listener).get('/tra-cuu/').query({ ma: code, khoa: key }),
      request(listener).get('/TRA-CUU').query({ ma: code, khoa: key }),
      request(listener).get('/api/v1/lookups').query({ code, key }),
      request(listener).post('/tra-cuu/danh-gia').type('form').send({ ma: code, khoa: key }),
    ];
    for (const res of await Promise.all(left)) expect(res.status).toBe(298);
    // A fragment is never sent by a browser; Express's parser would drop it, the door leaves it.
    const server = http.createServer(listener).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const fragment = await new Promise<number>((resolve, reject) =>
      http
        .get({ port, host: '127.0.0.1', path: `/tra-cuu?ma=${code}&khoa=${key}#x` }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
        .on('error', reject),
    );
    server.close();
    expect(fragment).toBe(298);
    expect(handed).toEqual([]);
    // Its requests are logged as Express's are: the path only, never the key.
    expect(lines.map((l) => [l.msg, (l.req as { path: string }).path])).toEqual([
      ['request completed', '/api/v1/lookup'],
      ['request completed', '/tra-cuu'],
    ]);
    expect(JSON.stringify(lines)).not.toContain(key);
  });

  it('hands an error over to Express with what was thrown, having counted the lookup once', async () => {
    t = await createTestApp({ env: { LOOKUP_CODE_RATE_LIMIT_PER_HOUR: '2' } });
    const { code } = await dossier();
    const { listener, handed } = doorAlone();
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await request(listener).get('/api/v1/lookup').query({ code, key: 'SAI123' })).status,
      );
    expect(statuses).toEqual([299, 299, 299]);
    expect(handed.map((e) => e?.constructor)).toEqual([
      NotFoundError,
      NotFoundError,
      TooManyRequestsError,
    ]);
    await t.ctx.lookupEvents.flush();
    const events = await t.ctx.db.selectFrom('lookup_events').select(['hit', 'channel']).execute();
    expect(events).toEqual([
      { hit: 0, channel: 'api' },
      { hit: 0, channel: 'api' },
    ]);
  });
});

describe('the lookup through the whole application', () => {
  it('answers at the door exactly what Express answers for the same lookup', async () => {
    t = await createTestApp();
    const { code, key } = await dossier();
    const strip = (res: request.Response) => {
      const { date: _date, 'x-request-id': _id, ...headers } = res.headers;
      return { status: res.status, headers, text: res.text };
    };
    const pairs: [request.Test, request.Test][] = [
      [
        request(t.app).get('/api/v1/lookup').query({ code, key }),
        request(t.app).get('/api/v1/lookup/').query({ code, key }),
      ],
      [
        request(t.app).get('/tra-cuu').query({ ma: code, khoa: key }),
        request(t.app).get('/TRA-CUU').query({ ma: code, khoa: key }),
      ],
      [
        request(t.app).get('/tra-cuu').query({ ma: code, khoa: 'SAI123' }),
        request(t.app).get('/tra-cuu/').query({ ma: code, khoa: 'SAI123' }),
      ],
      [request(t.app).get('/tra-cuu'), request(t.app).get('/Tra-Cuu')],
    ];
    for (const [door, express] of pairs) {
      const [a, b] = [strip(await door), strip(await express)];
      expect(a).toEqual(b);
    }
  });

  it('gives a handed-over JSON miss its error, counts it once against the limits and times it once', async () => {
    t = await createTestApp({ env: { LOOKUP_CODE_RATE_LIMIT_PER_HOUR: '3' } });
    const { code, key } = await dossier();
    expect((await request(t.app).get('/api/v1/lookup').query({ code, key })).status).toBe(200);
    const wrong = () => request(t.app).get('/api/v1/lookup').query({ code, key: 'SAI123' });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await wrong());
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 429]);
    expect(answers[0]!.body.error.code).toBe('not_found');
    expect(answers[0]!.headers['cache-control']).toBe('no-store');
    expect(answers[3]!.headers['retry-after']).toMatch(/^\d+$/);
    t.clock.advanceMinutes(1);
    const metrics = (await request(t.app).get('/metrics')).text;
    const count = (status: string) =>
      Number(
        new RegExp(
          `^motcua_http_request_duration_seconds_count\\{[^}]*route="/api/v1/lookup",status="${status}"[^}]*\\} (\\d+)$`,
          'm',
        ).exec(metrics)?.[1] ?? 0,
      );
    expect([count('200'), count('404'), count('429')]).toEqual([1, 3, 1]);
  });
});

/** Makes every lookup wait for the office list until `release` is called (a slow database). */
function holdLookups(ctx: TestApp['ctx']) {
  const offices = ctx.masterData.offices.bind(ctx.masterData);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let arrived = 0;
  ctx.masterData.offices = async () => {
    arrived++;
    await released;
    return offices();
  };
  return { release, arrived: () => arrived };
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('the front door observes a request from its start (reproductions of a review)', () => {
  it('logs a lookup whose client went away before it was answered (was: no line at all)', async () => {
    t = await createTestApp();
    const { code, key } = await dossier();
    const lines: Record<string, unknown>[] = [];
    const { listener } = doorAlone(lines);
    const hold = holdLookups(t.ctx);
    const server = http.createServer(listener).listen(0, '127.0.0.1');
    let closed = 0;
    server.on('connection', (socket) => socket.once('close', () => closed++));
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const controller = new AbortController();
      const gone = fetch(`http://127.0.0.1:${port}/api/v1/lookup?code=${code}&key=${key}`, {
        signal: controller.signal,
      }).catch(() => 'aborted');
      await until(() => hold.arrived() === 1, 'the lookup to start');
      controller.abort();
      expect(await gone).toBe('aborted');
      await until(() => closed === 1, 'the server to see the client go');
      hold.release();
      await until(() => lines.length === 1, 'the aborted lookup to be logged');
      expect(lines.map((l) => [l.msg, (l.req as { path: string }).path, l.level])).toEqual([
        ['request aborted', '/api/v1/lookup', 50],
      ]);
    } finally {
      hold.release();
      server.closeAllConnections();
      server.close();
    }
  });

  it("times a handed-over miss from the request's start, not from the hand-over (was: ~0 ms)", async () => {
    t = await createTestApp();
    const { code } = await dossier();
    const hold = holdLookups(t.ctx);
    const miss = request(t.app)
      .get('/api/v1/lookup')
      .query({ code, key: 'SAI123' })
      .then((r) => r);
    await until(() => hold.arrived() === 1, 'the lookup to start');
    await new Promise((r) => setTimeout(r, 300));
    hold.release();
    expect((await miss).status).toBe(404);
    t.clock.advanceMinutes(1);
    const metrics = (await request(t.app).get('/metrics')).text;
    const line = (name: string) =>
      Number(
        new RegExp(`^${name}\\{[^}]*route="/api/v1/lookup",status="404"[^}]*\\} (\\S+)$`, 'm').exec(
          metrics,
        )?.[1] ?? NaN,
      );
    expect(line('motcua_http_request_duration_seconds_count')).toBe(1);
    expect(line('motcua_http_request_duration_seconds_sum')).toBeGreaterThanOrEqual(0.29);
  });
});
