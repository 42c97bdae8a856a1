import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  csrfFrom,
  csrfOf,
  DEMO_PASSWORD,
  loginAs,
  type TestApp,
} from '../support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const auditActions = (username: string) =>
  t.ctx.db
    .selectFrom('audit_events')
    .select(['action', 'details'])
    .where('subject', '=', username)
    .orderBy('id')
    .execute();

async function attempt(
  agent: ReturnType<typeof request.agent>,
  username: string,
  password: string,
) {
  const page = await agent.get('/dang-nhap');
  return agent
    .post('/dang-nhap')
    .type('form')
    .send({ username, password, _csrf: csrfFrom(page.text) });
}

describe('login', () => {
  it.each(['canbo', 'lanhdao', 'quantri'])(
    'lets the demo account %s in and records it',
    async (username) => {
      const agent = request.agent(t.app);
      const res = await attempt(agent, username, DEMO_PASSWORD);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
      const home = await agent.get('/');
      expect(home.status).toBe(303);
      expect(home.headers.location).toBe('/ho-so/hom-nay');
      const board = await agent.get('/ho-so/hom-nay');
      expect(board.status).toBe(200);
      expect(board.text).toContain('Bảng hôm nay');
      expect((await auditActions(username)).map((e) => e.action)).toEqual(['login.succeeded']);
    },
  );

  it('shows a citizen who opened the site address the way to their own pages', async () => {
    const page = await request(t.app).get('/dang-nhap');
    expect(page.text).toContain('<a href="/tra-cuu">Tra cứu hồ sơ</a>');
    expect(page.text).toContain('<a href="/dat-lich">Đặt lịch hẹn nộp hồ sơ</a>');
  });

  it('issues a new session id at login (no session fixation)', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/dang-nhap');
    const before = page.headers['set-cookie']?.[0]?.split(';')[0];
    const res = await agent
      .post('/dang-nhap')
      .type('form')
      .send({ username: 'canbo', password: DEMO_PASSWORD, _csrf: csrfFrom(page.text) });
    const after = res.headers['set-cookie']?.[0]?.split(';')[0];
    expect(before).toBeTruthy();
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    expect(res.headers['set-cookie']?.[0]).toMatch(/HttpOnly/);
    expect(res.headers['set-cookie']?.[0]).toMatch(/SameSite=Lax/);
  });

  it('refuses a wrong password with 401, a Vietnamese message, and an audit event', async () => {
    const res = await attempt(request.agent(t.app), 'canbo', 'wrong-password');
    expect(res.status).toBe(401);
    expect(res.text).toContain('tên đăng nhập hoặc mật khẩu không đúng.');
    expect(res.text).toContain('value="canbo"');
    expect((await auditActions('canbo')).map((e) => e.action)).toEqual(['login.failed']);
  });

  it('gives the same answer for an unknown user', async () => {
    const res = await attempt(request.agent(t.app), 'khongco', 'whatever');
    expect(res.status).toBe(401);
    expect(res.text).toContain('tên đăng nhập hoặc mật khẩu không đúng.');
  });

  it('re-renders with 422 when fields are missing', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/dang-nhap');
    const res = await agent
      .post('/dang-nhap')
      .type('form')
      .send({ username: '', _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Vui lòng nhập tên đăng nhập và mật khẩu.');
  });

  it('locks the account for 15 minutes after 5 failures, even against the right password', async () => {
    const agent = request.agent(t.app);
    for (let i = 0; i < 4; i++) expect((await attempt(agent, 'canbo', 'nope')).status).toBe(401);
    const fifth = await attempt(agent, 'canbo', 'nope');
    expect(fifth.status).toBe(401);
    const locked = await attempt(agent, 'canbo', DEMO_PASSWORD);
    expect(locked.status).toBe(401);
    // The same words as a wrong password: a lock tells a stranger nothing.
    expect(locked.text).toContain('tên đăng nhập hoặc mật khẩu không đúng');
    expect(locked.text).toContain('15 phút');
    const actions = (await auditActions('canbo')).map((e) => e.action);
    expect(actions.filter((a) => a === 'login.locked')).toHaveLength(1);
    expect(actions.at(-1)).toBe('login.failed');

    t.clock.advanceMinutes(14);
    expect((await attempt(agent, 'canbo', DEMO_PASSWORD)).status).toBe(401);
    t.clock.advanceMinutes(2);
    expect((await attempt(agent, 'canbo', DEMO_PASSWORD)).status).toBe(303);
  });

  it('sends a user back to the page they asked for, but never off-site', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/dang-nhap?next=/quan-tri/nhat-ky');
    const ok = await agent
      .post('/dang-nhap')
      .type('form')
      .send({
        username: 'lanhdao',
        password: DEMO_PASSWORD,
        next: '/quan-tri/nhat-ky',
        _csrf: csrfFrom(page.text),
      });
    expect(ok.headers.location).toBe('/quan-tri/nhat-ky');
    const other = request.agent(t.app);
    const page2 = await other.get('/dang-nhap');
    const evil = await other
      .post('/dang-nhap')
      .type('form')
      .send({
        username: 'lanhdao',
        password: DEMO_PASSWORD,
        next: '//evil.example/x',
        _csrf: csrfFrom(page2.text),
      });
    expect(evil.headers.location).toBe('/');
  });
});

describe('logout', () => {
  it('ends the session and records it', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const res = await agent
      .post('/dang-xuat')
      .type('form')
      .send({ _csrf: await csrfOf(agent) });
    expect(res.status).toBe(303);
    const after = await agent.get('/');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/dang-nhap?next=%2F');
    expect((await auditActions('canbo')).map((e) => e.action)).toEqual([
      'login.succeeded',
      'logout',
    ]);
  });
});

describe('access control', () => {
  it('redirects an anonymous visitor from a protected page to the login page', async () => {
    const res = await request(t.app).get('/quan-tri/nhat-ky');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dang-nhap?next=%2Fquan-tri%2Fnhat-ky');
  });

  it('answers 403 to an officer on a supervisor page', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const res = await agent.get('/quan-tri/nhat-ky');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Không có quyền truy cập');
  });

  it('shows the audit log to a supervisor', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    const res = await agent.get('/quan-tri/nhat-ky?action=login.succeeded');
    expect(res.status).toBe(200);
    expect(res.text).toContain('lanhdao');
  });

  it('rejects a bad audit filter with 422, not 500', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    const res = await agent.get('/quan-tri/nhat-ky?from=2026-02-31');
    expect(res.status).toBe(422);
  });

  it('refuses a POST without a CSRF token with 403', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const res = await agent.post('/dang-xuat').type('form').send({});
    expect(res.status).toBe(403);
    expect(res.text).toContain('tải lại trang');
    const wrong = await agent.post('/dang-xuat').type('form').send({ _csrf: 'forged' });
    expect(wrong.status).toBe(403);
    expect((await agent.get('/ho-so/hom-nay')).status).toBe(200); // still logged in
  });

  it('refuses a login POST without a CSRF token', async () => {
    const res = await request(t.app)
      .post('/dang-nhap')
      .type('form')
      .send({ username: 'canbo', password: DEMO_PASSWORD });
    expect(res.status).toBe(403);
  });
});
