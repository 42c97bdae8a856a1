import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed, documentIds } from '../support/factories.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

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
    // The published hours, rendered from the office's working hours (issue 28, item 7).
    expect(page.text).toContain('Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00');
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

describe('the counter and a booked ticket (item 8)', () => {
  it('the intake form starts with what was given at booking, and the intake finishes the ticket', async () => {
    t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
    const canbo = await accountNamed(t.ctx, 'canbo');
    const kiosk = await issueApiToken(t.ctx, canbo.id, 'kiosk', null, { scope: 'kiosk' });
    const staff = await issueApiToken(t.ctx, canbo.id, 'staff', null);
    const office = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', OFFICE)
      .executeTakeFirstOrThrow();
    const group = await t.ctx.db
      .selectFrom('service_groups')
      .select('id')
      .where('office_id', '=', office.id)
      .where('code', '=', 'CC')
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto('appointments')
      .values({
        office_id: office.id,
        group_id: group.id,
        day: '2026-03-10',
        slot_start: '09:00',
        code: 'DL-ABCDEFGH',
        applicant_name: 'Lê Văn Tám',
        personal_id: '001090012345',
        phone: '0912345678',
        state: 'booked',
        created_at: '2026-03-09T01:00:00Z',
      })
      .execute();
    const checkedIn = await request(t.app)
      .post('/api/v1/queue/check-in')
      .set('Authorization', `Bearer ${kiosk}`)
      .send({ office: OFFICE, booking: 'DL-ABCDEFGH' });
    expect(checkedIn.status).toBe(201);
    const counter = await t.ctx.db
      .selectFrom('counters')
      .select('id')
      .where('office_id', '=', office.id)
      .where('number', '=', 1)
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .updateTable('counters')
      .set({ account_id: canbo.id, signed_in_at: t.clock.now().toISOString() })
      .where('id', '=', counter.id)
      .execute();
    const called = await request(t.app)
      .post(`/api/v1/queue/counters/${counter.id}/call-next`)
      .set('Authorization', `Bearer ${staff}`);
    const ticket = called.body.ticket;
    expect(ticket.number).toBe(checkedIn.body.ticket.number);

    const officer = await loginAs(t.app, 'canbo');
    const form = await officer.get(`/ho-so/moi?thu-tuc=2.000200&so=${ticket.id}`);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/id="applicant_name"[^>]*value="Lê Văn Tám"/);
    expect(form.text).toMatch(/id="personal_id"[^>]*value="001090012345"/);
    expect(form.text).toMatch(/id="phone"[^>]*value="0912345678"/);

    const created = await request(t.app)
      .post('/api/v1/dossiers')
      .set('Authorization', `Bearer ${staff}`)
      .send({
        procedure_code: '2.000200',
        outcome: 'accept',
        documents: (await documentIds(t.ctx, '2.000200')).map(String),
        applicant_name: 'Lê Văn Tám',
        personal_id: '001090012345',
        birth_date: '1990-01-01',
        sex: 'male',
        phone: '0912345678',
        address: 'Thôn 3, xã Lý Nhân',
        ticket_id: String(ticket.id),
      });
    expect(created.status).toBe(201);
    const row = await t.ctx.db
      .selectFrom('tickets')
      .select(['state', 'access_key', 'finished_at'])
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('done');
    expect(row.finished_at).toBe('2026-03-10T02:00:00.000Z');
    const phone = await request(t.app).get(`/xep-hang/${row.access_key}`);
    expect(phone.text).not.toContain('Mời Ông/Bà đến');
    // The counter is free for the next call.
    const console = await officer.get(`/quay/${counter.id}`);
    expect(console.text).not.toContain(ticket.number + ' <span class="status-badge">');
  });
});
