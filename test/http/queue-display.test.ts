import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed, createOfficerAt } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The call display's registration with a display token (issue 29, item 1). */
const OFFICE = '000.00.13.H40';
let t: TestApp;
afterEach(async () => t?.close());

describe('a registered call display', () => {
  it('a display token registers the office’s screen (a cookie; the token leaves the address) and opens nothing else', async () => {
    t = await createTestApp();
    const canbo = await accountNamed(t.ctx, 'canbo');
    const display = await issueApiToken(t.ctx, canbo.id, 'hall', null, { scope: 'display' });
    const kiosk = await issueApiToken(t.ctx, canbo.id, 'kiosk', null, { scope: 'kiosk' });
    await createOfficerAt(t.ctx, '000.11.13.H40', 'xa1');
    const other = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'xa1')).id, 'x', null, {
      scope: 'display',
    });

    const opened = await request(t.app).get(`/man-hinh/${OFFICE}?khoa=${display}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe(`/man-hinh/${OFFICE}`);
    const cookie = opened.headers['set-cookie']![0]!;
    expect(cookie).toMatch(
      /^mc_display=mc_[\w-]+; Max-Age=\d+; Path=\/man-hinh; Expires=.*HttpOnly; SameSite=Lax$/,
    );
    const page = await request(t.app)
      .get(`/man-hinh/${OFFICE}`)
      .set('Cookie', cookie.split(';')[0]!);
    expect(page.text).toContain('data-registered');
    expect((await request(t.app).get(`/man-hinh/${OFFICE}`)).text).not.toContain('data-registered');

    // A kiosk token, another office's display token, or garbage: no cookie, an ordinary screen.
    for (const token of [kiosk, other, 'not-a-token-at-all']) {
      const res = await request(t.app).get(`/man-hinh/${OFFICE}?khoa=${token}`);
      expect(res.status).toBe(303);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    // Another office's display with this office's registered cookie: not registered there.
    const elsewhere = await request(t.app)
      .get('/man-hinh/000.11.13.H40')
      .set('Cookie', cookie.split(';')[0]!);
    expect(elsewhere.text).not.toContain('data-registered');

    // On the API a display token does nothing at all.
    for (const [method, path] of [
      ['get', `/api/v1/queue/${OFFICE}`],
      ['post', '/api/v1/queue/tickets'],
      ['get', '/api/v1/dossiers'],
    ] as const) {
      const res = await request(t.app)[method](path).set('Authorization', `Bearer ${display}`);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('token_scope');
    }
  });

  it('a finished ticket’s phone stream answers 204, so the browser stops asking', async () => {
    t = await createTestApp();
    const canbo = await accountNamed(t.ctx, 'canbo');
    const kiosk = await issueApiToken(t.ctx, canbo.id, 'kiosk', null, { scope: 'kiosk' });
    const ticket = (
      await request(t.app)
        .post('/api/v1/queue/tickets')
        .set('Authorization', `Bearer ${kiosk}`)
        .send({ office: OFFICE, service_group: 'CC' })
    ).body.ticket;
    const path = new URL(ticket.follow_url).pathname;
    t.clock.set(new Date('2026-03-11T02:00:00Z')); // the next day: yesterday's ticket is over
    expect((await request(t.app).get(`${path}/su-kien`)).status).toBe(204);
    const page = await request(t.app).get(path);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('data-stream');
  });
});
