import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { createApp } from '../../src/app.js';
import { accountNamed, validIntake } from '../support/factories.js';
import {
  createTestApp,
  csrfFrom,
  csrfOf,
  DEMO_PASSWORD,
  loginAs,
  type TestApp,
} from '../support/test-app.js';

// Attacks on sign-in and on API credentials (docs/SECURITY.md). Each failed on the code before
// the fix it names.

// scrypt counted (and still run): the cost of an answer is the key derivations it makes.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, scrypt: vi.fn(original.scrypt) };
});
let t: TestApp;
afterEach(() => t?.close());

async function loginPage(agent: ReturnType<typeof request.agent>, from?: string) {
  const page = await (from
    ? agent.get('/dang-nhap').set('x-forwarded-for', from)
    : agent.get('/dang-nhap'));
  return csrfFrom(page.text);
}
function attempt(
  agent: ReturnType<typeof request.agent>,
  csrf: string,
  username: string,
  password: string,
  from?: string,
) {
  const req = agent.post('/dang-nhap').type('form');
  return (from ? req.set('x-forwarded-for', from) : req).send({ username, password, _csrf: csrf });
}
const errorText = (html: string) =>
  /<p class="alert"[^>]*>([^<]*)</.exec(html)?.[1] ?? /role="alert">([^<]*)</.exec(html)?.[1] ?? '';

describe('login lockout', () => {
  it('refuses the sixth and every later guess of a parallel burst, even the right password (was: logged in)', async () => {
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_15_MIN: '1000' } });
    const agent = request.agent(t.app);
    const csrf = await loginPage(agent);
    const passwords = Array.from({ length: 20 }, (_, i) => (i === 15 ? DEMO_PASSWORD : `sai-${i}`));
    const answers = await Promise.all(passwords.map((p) => attempt(agent, csrf, 'quantri', p)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(401));
    const events = await t.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('subject', '=', 'quantri')
      .execute();
    expect(events.filter((e) => e.action === 'login.succeeded')).toEqual([]);
    expect(events.filter((e) => e.action === 'login.failed')).toHaveLength(20);
    // Every attempt was counted, none lost to a race.
    const counted = await t.ctx.db
      .selectFrom('login_attempts')
      .select(['failures', 'locked_until'])
      .executeTakeFirstOrThrow();
    expect(counted.failures).toBe(20);
    expect(counted.locked_until).not.toBeNull();
  });

  it('locks an account only for the address that guessed: the administrator at another desk still signs in (was: locked for everybody)', async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'true', LOGIN_RATE_LIMIT_PER_15_MIN: '1000' } });
    const stranger = request.agent(t.app);
    const csrf = await loginPage(stranger, '203.0.113.9');
    for (let i = 0; i < 5; i++)
      expect((await attempt(stranger, csrf, 'quantri', 'doan-mo', '203.0.113.9')).status).toBe(401);
    expect((await attempt(stranger, csrf, 'quantri', DEMO_PASSWORD, '203.0.113.9')).status).toBe(
      401,
    );
    const admin = request.agent(t.app);
    const adminCsrf = await loginPage(admin, '198.51.100.7');
    expect((await attempt(admin, adminCsrf, 'quantri', DEMO_PASSWORD, '198.51.100.7')).status).toBe(
      303,
    );
    // The stranger's lock runs out after 15 minutes.
    t.clock.advanceMinutes(16);
    expect((await attempt(stranger, csrf, 'quantri', DEMO_PASSWORD, '203.0.113.9')).status).toBe(
      303,
    );
  });

  it('answers unknown, wrong and locked with one message and one cost (was: "tạm khóa" in ~8 ms)', async () => {
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_15_MIN: '1000' } });
    const agent = request.agent(t.app);
    const csrf = await loginPage(agent);
    // The work of an answer: the scrypt derivations it made, with their parameters. Counted,
    // not timed: one request's time on a busy machine says little.
    const scrypt = vi.mocked(crypto.scrypt);
    const timed = async (username: string, password: string) => {
      scrypt.mockClear();
      const res = await attempt(agent, csrf, username, password);
      const hashes = scrypt.mock.calls.map((c) => JSON.stringify([c[2], c[3]]));
      return { hashes, text: errorText(res.text), status: res.status };
    };
    const wrong = await timed('canbo', 'sai-mat-khau');
    const unknown = await timed('khong.ai.ca', 'sai-mat-khau');
    for (let i = 0; i < 5; i++) await attempt(agent, csrf, 'lanhdao', 'sai');
    const locked = await timed('lanhdao', DEMO_PASSWORD);
    expect(new Set([wrong.text, unknown.text, locked.text]).size).toBe(1);
    expect(wrong.text).toContain('mật khẩu không đúng');
    expect(wrong.text).not.toMatch(/khóa/);
    expect([wrong.status, unknown.status, locked.status]).toEqual([401, 401, 401]);
    // All three hash the password once, with the same parameters: none answers in a fraction
    // of the others' time.
    expect(wrong.hashes).toHaveLength(1);
    expect(unknown.hashes).toEqual(wrong.hashes);
    expect(locked.hashes).toEqual(wrong.hashes);
  });

  it('never stores a typed unknown username as it was typed', async () => {
    t = await createTestApp();
    const agent = request.agent(t.app);
    await attempt(agent, await loginPage(agent), 'matkhau-cua-toi-la-123', 'x');
    const rows = await t.ctx.db.selectFrom('audit_events').select(['subject', 'details']).execute();
    expect(JSON.stringify(rows)).not.toContain('matkhau-cua-toi-la-123');
    expect(rows[0]!.subject).toMatch(/^unknown:[0-9a-f]{32}$/);
  });

  it('counts only failures toward the login limit: a counter signing in all day is never refused (was: 429)', async () => {
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_15_MIN: '3' } });
    for (let i = 0; i < 5; i++) await loginAs(t.app, 'canbo');
    const agent = request.agent(t.app);
    const csrf = await loginPage(agent);
    for (let i = 0; i < 3; i++)
      expect((await attempt(agent, csrf, 'canbo', 'sai')).status).toBe(401);
    expect((await attempt(agent, csrf, 'canbo', 'sai')).status).toBe(429);
  });

  it('warns once when X-Forwarded-For arrives while TRUST_PROXY is off', async () => {
    t = await createTestApp();
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const app = createApp({ ...t.ctx, logger });
    // Any page but the citizen's lookup, whose lean path runs before this check.
    await request(app).get('/dang-nhap').set('x-forwarded-for', '203.0.113.9');
    await request(app).get('/dang-nhap').set('x-forwarded-for', '203.0.113.9');
    expect(lines.filter((l) => l.includes('TRUST_PROXY'))).toHaveLength(1);
  });
});

describe('API credentials', () => {
  it('answers an API call with neither session nor token 401 with WWW-Authenticate (was: 403 csrf_failed)', async () => {
    t = await createTestApp();
    const res = await request(t.app).post('/api/v1/dossiers').send({ procedure_code: '2.000200' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('revokes the tokens of a deactivated account for good: reactivation revives none (was: revived)', async () => {
    t = await createTestApp();
    const officer = await accountNamed(t.ctx, 'canbo');
    const token = await issueApiToken(t.ctx, officer.id, 'counter', null);
    const admin = await loginAs(t.app, 'quantri');
    const save = async (active: boolean) =>
      admin
        .post(`/quan-tri/tai-khoan/${officer.id}`)
        .type('form')
        .send({
          _csrf: await csrfOf(admin, `/quan-tri/tai-khoan/${officer.id}`),
          full_name: officer.fullName,
          role: 'officer',
          office_id: String(officer.officeId),
          ...(active ? { active: 'on' } : {}),
        });
    expect((await save(false)).status).toBe(303);
    expect((await save(true)).status).toBe(303);
    expect(
      (await request(t.app).get('/api/v1/procedures').set('authorization', `Bearer ${token}`))
        .status,
    ).toBe(401);
  });

  it("honours a token's expiry and scope: expired 401, read-only cannot write, kiosk opens no counter call", async () => {
    t = await createTestApp();
    const officer = await accountNamed(t.ctx, 'canbo');
    const expiring = await issueApiToken(t.ctx, officer.id, 'short', null, {
      expiresAt: new Date(t.clock.now().getTime() + 60_000),
    });
    const reader = await issueApiToken(t.ctx, officer.id, 'dashboard', null, { scope: 'read' });
    const kiosk = await issueApiToken(t.ctx, officer.id, 'kiosk', null, { scope: 'kiosk' });
    const get = (token: string) =>
      request(t.app).get('/api/v1/dossiers').set('authorization', `Bearer ${token}`);
    expect((await get(expiring)).status).toBe(200);
    t.clock.advanceMinutes(2);
    expect((await get(expiring)).status).toBe(401);
    expect((await get(reader)).status).toBe(200);
    const write = await request(t.app)
      .post('/api/v1/dossiers')
      .set('authorization', `Bearer ${reader}`)
      .send(await validIntake(t.ctx));
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('token_scope');
    expect((await get(kiosk)).status).toBe(403);
    expect(await t.ctx.db.selectFrom('dossiers').select('id').execute()).toEqual([]);
  });

  it('issues a token with a scope and an expiry from the administration page', async () => {
    t = await createTestApp();
    const officer = await accountNamed(t.ctx, 'canbo');
    const admin = await loginAs(t.app, 'quantri');
    const page = `/quan-tri/tai-khoan/${officer.id}`;
    const res = await admin
      .post(`${page}/khoa-api`)
      .type('form')
      .send({
        _csrf: await csrfOf(admin, page),
        name: 'Bảng điều khiển',
        scope: 'read',
        expires_days: '30',
      });
    expect(res.status).toBe(200);
    const row = await t.ctx.db
      .selectFrom('api_tokens')
      .select(['scope', 'expires_at'])
      .executeTakeFirstOrThrow();
    expect(row.scope).toBe('read');
    expect(row.expires_at).toBe(new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString());
    const bad = await admin
      .post(`${page}/khoa-api`)
      .type('form')
      .send({ _csrf: await csrfOf(admin, page), name: 'X y', scope: 'root', expires_days: '-1' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Chọn phạm vi của khóa.');
  });

  it('limits writes per account and per token (was: unlimited)', async () => {
    t = await createTestApp({ env: { WRITE_RATE_LIMIT_PER_MIN: '3' } });
    const officer = await accountNamed(t.ctx, 'canbo');
    const token = await issueApiToken(t.ctx, officer.id, 'script', null);
    const post = () =>
      request(t.app).post('/api/v1/dossiers').set('authorization', `Bearer ${token}`).send({});
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(422);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_requests');
    t.clock.advanceMinutes(2);
    expect((await post()).status).toBe(422);
  });
});

describe('audit log scope', () => {
  it('shows a commune supervisor only what its own office did; an administrator sees all (was: everything)', async () => {
    t = await createTestApp();
    const commune = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.11.13.H40')
      .executeTakeFirstOrThrow();
    const hash = (
      await t.ctx.db
        .selectFrom('accounts')
        .select('password_hash')
        .where('username', '=', 'canbo')
        .executeTakeFirstOrThrow()
    ).password_hash;
    const now = new Date().toISOString();
    await t.ctx.db
      .insertInto('accounts')
      .values({
        username: 'lanhdao.xa',
        full_name: 'Đỗ Văn Xã',
        role: 'supervisor',
        office_id: commune.id,
        password_hash: hash,
        failed_logins: 0,
        locked_until: null,
        active: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await loginAs(t.app, 'canbo');
    const communeView = await (await loginAs(t.app, 'lanhdao.xa')).get('/quan-tri/nhat-ky');
    expect(communeView.status).toBe(200);
    expect(communeView.text).toContain('lanhdao.xa');
    expect(communeView.text).not.toContain('>canbo<');
    const adminView = await (await loginAs(t.app, 'quantri')).get('/quan-tri/nhat-ky');
    expect(adminView.text).toContain('>canbo<');
  });
});
