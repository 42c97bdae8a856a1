import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { accountNamed } from '../support/factories.js';
import { createTestApp, csrfFrom, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

// Issue 28, item 6: the session slides while the officer works; "Tiếp tục làm việc" touches it.
let t: TestApp;
afterEach(() => t?.close());

const IDLE = 600; // seconds (SESSION_IDLE_SECONDS); the stored expiry may lag 60 s behind
const start = () => createTestApp({ env: { SESSION_IDLE_SECONDS: String(IDLE) } });

/** The stored expiry of the officer's session, in ms from now. */
async function expiresIn(username: string): Promise<number> {
  const { id } = await accountNamed(t.ctx, username);
  const row = await t.ctx.db
    .selectFrom('sessions')
    .select('expires_at')
    .where('account_id', '=', id)
    .executeTakeFirstOrThrow();
  return Date.parse(row.expires_at) - Date.now();
}
/** Brings the officer's session to 5 seconds from its end, as after a long pause. */
async function almostOver(username: string): Promise<void> {
  const { id } = await accountNamed(t.ctx, username);
  await t.ctx.db
    .updateTable('sessions')
    .set({ expires_at: new Date(Date.now() + 5_000).toISOString() })
    .where('account_id', '=', id)
    .execute();
}

describe('the session while the officer works', () => {
  it('slides on every page the officer opens', async () => {
    t = await start();
    const officer = await loginAs(t.app, 'canbo');
    await almostOver('canbo');
    expect((await officer.get('/ho-so/hom-nay')).status).toBe(200);
    expect(await expiresIn('canbo')).toBeGreaterThan((IDLE - 10) * 1000);
  });

  it('"Tiếp tục làm việc" extends it: JSON for the page script, a redirect without JavaScript', async () => {
    t = await start();
    const officer = await loginAs(t.app, 'canbo');
    const page = await officer.get('/ho-so/moi');
    // The warning is on the page, hidden, with what the script counts down from.
    expect(page.text).toContain(
      'data-session-warning data-idle-seconds="540" data-warn-seconds="120" hidden',
    );
    expect(page.text).toContain('Tiếp tục làm việc');
    const token = csrfFrom(page.text);

    await almostOver('canbo');
    const kept = await officer
      .post('/phien/gia-han')
      .set('X-CSRF-Token', token)
      .set('Accept', 'application/json');
    expect(kept.status).toBe(200);
    expect(kept.headers['cache-control']).toBe('no-store');
    expect(kept.body).toEqual({ seconds_left: 540 });
    expect(await expiresIn('canbo')).toBeGreaterThan((IDLE - 10) * 1000);

    await almostOver('canbo');
    const form = await officer
      .post('/phien/gia-han')
      .type('form')
      .send({ _csrf: token, next: '/ho-so/moi' });
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe('/ho-so/moi');
    expect(await expiresIn('canbo')).toBeGreaterThan((IDLE - 10) * 1000);
    expect((await officer.get('/ho-so/moi')).text).toContain('Đã gia hạn phiên làm việc.');
    // A `next` off the site goes home instead.
    const away = await officer
      .post('/phien/gia-han')
      .type('form')
      .send({ _csrf: token, next: '//evil.example/x' });
    expect(away.headers.location).toBe('/');
  });

  it('refuses without the CSRF token, and without a session', async () => {
    t = await start();
    const officer = await loginAs(t.app, 'canbo');
    const forged = await officer
      .post('/phien/gia-han')
      .set('X-CSRF-Token', 'not-the-token')
      .set('Accept', 'application/json');
    expect(forged.status).toBe(403);
    expect(forged.body).not.toHaveProperty('seconds_left');
    // No session at all: refused, nothing opened for it.
    const before = await t.ctx.db.selectFrom('sessions').select('sid').execute();
    const stranger = await request(t.app)
      .post('/phien/gia-han')
      .set('X-CSRF-Token', await csrfOf(officer))
      .set('Accept', 'application/json');
    expect(stranger.status).toBe(403);
    expect(stranger.body).not.toHaveProperty('seconds_left');
    // Without JavaScript, an expired session's button offers the login (and then the page back).
    const expiredForm = await request(t.app)
      .post('/phien/gia-han')
      .type('form')
      .send({ _csrf: 'gone', next: '/ho-so/moi' });
    expect(expiredForm.status).toBe(401);
    expect(expiredForm.text).toContain('name="resume_action" value="/phien/gia-han"');
    expect(
      (await t.ctx.db.selectFrom('sessions').select('sid').execute()).length,
    ).toBeLessThanOrEqual(before.length + 1);
  });

  it('shows no warning to citizens, and reads its lifetime from the configuration', async () => {
    t = await start();
    const lookup = await request(t.app).get('/tra-cuu');
    expect(lookup.text).not.toContain('data-session-warning');
    const booking = await request(t.app).get('/dat-lich');
    expect(booking.text).not.toContain('data-session-warning');
    const base = { NODE_ENV: 'test' as const };
    expect(loadConfig(base).sessionIdleSeconds).toBe(30 * 60);
    expect(loadConfig({ ...base, SESSION_IDLE_SECONDS: '45' }).sessionIdleSeconds).toBe(45);
    expect(() => loadConfig({ ...base, SESSION_IDLE_SECONDS: '5' })).toThrow(
      /SESSION_IDLE_SECONDS/,
    );
  });
});
