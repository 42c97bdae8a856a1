import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed } from '../support/factories.js';
import { createTestApp, csrfFrom, type TestApp } from '../support/test-app.js';

/**
 * The hall outside working hours (issue 29, item 7): at 19:24 the kiosk still issued tickets
 * with no word that the office was closed. Hours come from the office's working hours and the
 * calendar. Both engines.
 */
const OFFICE = '000.00.13.H40';
let t: TestApp;
afterEach(async () => t?.close());

async function kioskAt(now: string) {
  t = await createTestApp({ now });
  const canbo = await accountNamed(t.ctx, 'canbo');
  const token = await issueApiToken(t.ctx, canbo.id, 'kiosk', null, { scope: 'kiosk' });
  const device = request.agent(t.app);
  await device.get(`/kiosk/${OFFICE}?khoa=${token}`);
  const take = () =>
    request(t.app)
      .post('/api/v1/queue/tickets')
      .set('Authorization', `Bearer ${token}`)
      .send({ office: OFFICE, service_group: 'CC' });
  return { device, take };
}

describe('the kiosk outside working hours', () => {
  it('at 19:24 on a working day it says the office is closed and issues nothing', async () => {
    const { device, take } = await kioskAt('2026-03-10T12:24:00Z'); // Tue 19:24 local
    const page = await device.get(`/kiosk/${OFFICE}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-hall-closed');
    expect(page.text).toContain('07:00-11:30, 13:30-17:00');
    expect(page.text).not.toContain('class="kiosk-service"');
    const api = await take();
    expect(api.status).toBe(409);
    expect(api.body.error.code).toBe('office_closed');
    // A form posted from a page loaded before closing time is refused too, with the word.
    const posted = await device
      .post(`/kiosk/${OFFICE}/lay-so`)
      .type('form')
      .send({ _csrf: csrfFrom((await device.get('/dat-lich/cua-toi')).text), service_group: 'CC' });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('data-hall-closed');
    expect(await t.ctx.db.selectFrom('tickets').select('id').execute()).toHaveLength(0);
  });

  it('on a Saturday it is closed; on a working day it opens an hour before the first period', async () => {
    const saturday = await kioskAt('2026-03-14T02:00:00Z');
    expect((await saturday.take()).status).toBe(409);
    await t.close();
    const early = await kioskAt('2026-03-09T22:50:00Z'); // Tue 05:50 local
    expect((await early.take()).status).toBe(409);
    t.clock.set(new Date('2026-03-09T23:30:00Z')); // 06:30
    expect((await early.take()).status).toBe(201);
    t.clock.set(new Date('2026-03-10T09:59:00Z')); // 16:59
    expect((await early.take()).status).toBe(201);
    t.clock.set(new Date('2026-03-10T10:00:00Z')); // 17:00
    expect((await early.take()).status).toBe(409);
  });
});
