import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { latestMigrationName } from '../../src/db/migrate.js';
import {
  createTestApp,
  csrfFrom,
  DEMO_PASSWORD,
  loginAs,
  type TestApp,
} from '../support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('/readyz', () => {
  it('reports the database reachable and the migration version', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: true,
      database: 'reachable',
      migration: latestMigrationName(),
      migrationsPending: false,
      shuttingDown: false,
    });
  });
});

describe('errors', () => {
  it('shows a Vietnamese 404 page for an unknown route', async () => {
    const res = await request(t.app).get('/khong-co-trang-nay');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Không tìm thấy trang');
  });

  it('answers JSON under /api: 401 to a visitor, 404 for an unknown route', async () => {
    const anonymous = await request(t.app).get('/api/v1/khong-co');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const agent = await loginAs(t.app, 'canbo');
    const res = await agent.get('/api/v1/khong-co');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers a malformed JSON body with 400 and a message, no stack trace', async () => {
    const res = await request(t.app)
      .post('/api/v1/anything')
      .set('content-type', 'application/json')
      .send('{"bad json');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'malformed_body',
      message: 'Dữ liệu gửi lên không đúng định dạng.',
      fields: {},
    });
    expect(res.text).not.toMatch(/at .*\.js/);
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(t.app)
      .post('/dang-nhap')
      .type('form')
      .send({ username: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
  });

  it('answers a malformed percent-encoded path without a 500', async () => {
    const res = await request(t.app).get('/%E0%A4%A');
    expect(res.status).toBeLessThan(500);
  });
});

describe('security headers', () => {
  it('sends a CSP that allows only our own assets', async () => {
    const res = await request(t.app).get('/dang-nhap');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https:|unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('request log', () => {
  it('writes one line per request with an id, and no password, session id or query string', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = createApp({ ...t.ctx, logger: pino({ level: 'info' }, sink) });
    const agent = request.agent(app);
    const page = await agent.get('/dang-nhap?next=/tim?q=035090001234');
    const res = await agent
      .post('/dang-nhap')
      .type('form')
      .send({ username: 'canbo', password: DEMO_PASSWORD, _csrf: csrfFrom(page.text) });
    const sid = res.headers['set-cookie']?.[0]?.split(';')[0]?.split('=')[1];
    const log = lines.join('');
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.req);
    expect(requests).toHaveLength(2);
    expect(requests.every((l) => typeof l.req.id === 'string' && l.req.id.length > 0)).toBe(true);
    expect(log).not.toContain(DEMO_PASSWORD);
    expect(log).not.toContain('035090001234');
    expect(sid).toBeTruthy();
    expect(log).not.toContain(decodeURIComponent(sid!).slice(2, 20));
  });
});
