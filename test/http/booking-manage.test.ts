import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetTemplates } from '../../src/notifications/notifications.service.js';
import { drainOnce } from '../../src/notifications/sender.js';
import { book, citizen, OFFICE, requestHold } from '../support/booking.js';
import { createTestApp, csrfFrom, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

/**
 * Cancelling and moving a booking (issue 29, item 3): by the citizen with the code and phone of
 * the confirmation, by staff from the queue administration, audited; and the code's SMS that
 * goes through the quiet hours. Both engines.
 */
let t: TestApp;
afterEach(async () => t?.close());

const DAY = '2026-03-11'; // Wednesday; the clock stands at Tuesday 2026-03-10 09:00 local
const start = (env: Record<string, string> = {}) =>
  createTestApp({ env: { TRUST_PROXY: 'true', ...env } }).then((a) => (t = a));
const placesLeft = async (slot = '07:30', day = DAY) => {
  const page = await request(t.app).get(`/dat-lich?office=${OFFICE}&service_group=XE&day=${day}`);
  const m = new RegExp(
    `value="${slot}"[^>]*>\\s*${slot} <span class="muted">\\((còn (\\d+) chỗ|hết chỗ)\\)`,
  ).exec(page.text);
  return m ? Number(m[2] ?? 0) : null;
};

describe('cancel and move (item 3)', () => {
  it('the citizen cancels with the code and the phone, and the place is bookable at once', async () => {
    await start();
    const code = await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '07:30', personal_id: '001090000001' },
      '198.51.100.1',
    );
    await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '07:30', personal_id: '001090000002', phone: '0912000002' },
      '198.51.100.2',
    );
    expect(await placesLeft()).toBe(0);
    const c = citizen(t.app, '198.51.100.3');
    const form = await c.withAddress(c.agent.get(`/dat-lich/cua-toi?ma=${code}`));
    expect(form.text).toContain(`value="${code}"`);
    // Wrong phone and unknown code: one answer.
    const wrongPhone = await c
      .withAddress(c.agent.post('/dat-lich/cua-toi').type('form'))
      .send({ _csrf: csrfFrom(form.text), code, phone: '0912999999' });
    const unknown = await c
      .withAddress(c.agent.post('/dat-lich/cua-toi').type('form'))
      .send({ _csrf: csrfFrom(form.text), code: 'DL-ABCDEFGH', phone: '0912345678' });
    expect([wrongPhone.status, unknown.status]).toEqual([422, 422]);
    expect(/role="alert" id="m-error">([^<]*)</.exec(wrongPhone.text)?.[1]).toBe(
      /role="alert" id="m-error">([^<]*)</.exec(unknown.text)?.[1],
    );
    const opened = await c.withAddress(c.agent.post('/dat-lich/cua-toi').type('form')).send({
      _csrf: csrfFrom(form.text),
      code: code.toLowerCase().replace('-', ' '),
      phone: '0912 345 678',
    });
    expect(opened.status).toBe(303);
    const mine = await c.withAddress(c.agent.get('/dat-lich/cua-toi/lich'));
    expect(mine.text).toContain(code);
    const cancelled = await c
      .withAddress(c.agent.post('/dat-lich/cua-toi/huy').type('form'))
      .send({ _csrf: csrfFrom(mine.text) });
    expect(cancelled.status).toBe(200);
    expect(cancelled.text).toContain('Đã hủy lịch hẹn');
    expect(await placesLeft()).toBe(1);
    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'subject'])
      .where('action', '=', 'appointment.cancelled')
      .execute();
    expect(audit).toEqual([{ action: 'appointment.cancelled', subject: code }]);
    expect(
      await t.ctx.db
        .selectFrom('notifications')
        .select('id')
        .where('kind', '=', 'booking_cancelled')
        .execute(),
    ).toHaveLength(1);
    // The browser's proof ended with the booking; a new citizen takes the place at once.
    expect((await c.withAddress(c.agent.get('/dat-lich/cua-toi/lich'))).status).toBe(303);
    await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '07:30', personal_id: '001090000003', phone: '0912000003' },
      '198.51.100.4',
    );
    expect(await placesLeft()).toBe(0);
  });

  it('the citizen moves the booking to another slot: the old place frees, the new one is taken', async () => {
    await start();
    const code = await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '07:30', personal_id: '001090000001' },
      '198.51.100.1',
    );
    const c = citizen(t.app, '198.51.100.1');
    const form = await c.withAddress(c.agent.get('/dat-lich/cua-toi'));
    await c
      .withAddress(c.agent.post('/dat-lich/cua-toi').type('form'))
      .send({ _csrf: csrfFrom(form.text), code, phone: '0912345678' });
    const mine = await c.withAddress(c.agent.get('/dat-lich/cua-toi/lich?ngay=2026-03-12'));
    expect(mine.text).toContain('name="slot" value="08:00"');
    const moved = await c
      .withAddress(c.agent.post('/dat-lich/cua-toi/doi').type('form'))
      .send({ _csrf: csrfFrom(mine.text), day: '2026-03-12', slot: '08:00' });
    expect(moved.status).toBe(303);
    expect((await c.withAddress(c.agent.get('/dat-lich/cua-toi/lich'))).text).toContain(
      'Đã đổi lịch hẹn sang 08:00 ngày 12/03/2026',
    );
    expect(await placesLeft('07:30')).toBe(2);
    expect(await placesLeft('08:00', '2026-03-12')).toBe(1);
    const bad = await c
      .withAddress(c.agent.post('/dat-lich/cua-toi/doi').type('form'))
      .send({ _csrf: csrfFrom(mine.text), day: '2026-03-14', slot: '08:00' });
    expect(bad.status).toBe(422);
  });

  it('staff cancel a booking or free a whole slot, audited, and the citizen is told', async () => {
    await start();
    const first = await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '07:30', personal_id: '001090000001' },
      '198.51.100.1',
    );
    await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '07:30', personal_id: '001090000002', phone: '0912000002' },
      '198.51.100.2',
    );
    await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '08:00', personal_id: '001090000003', phone: '0912000003' },
      '198.51.100.3',
    );
    expect((await (await loginAs(t.app, 'canbo')).get('/quan-tri/xep-hang/lich-hen')).status).toBe(
      403,
    );
    const admin = await loginAs(t.app, 'lanhdao');
    const office = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', OFFICE)
      .executeTakeFirstOrThrow();
    const list = await admin.get(`/quan-tri/xep-hang/lich-hen?office=${office.id}&day=${DAY}`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(first);
    expect(list.text).toContain('••••••••0001');
    expect(list.text).not.toContain('001090000001');
    const row = await t.ctx.db
      .selectFrom('appointments')
      .select('id')
      .where('code', '=', first)
      .executeTakeFirstOrThrow();
    const noReason = await admin
      .post(`/quan-tri/xep-hang/lich-hen/${row.id}/huy`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text), office_id: String(office.id), day: DAY, reason: '' });
    expect(noReason.status).toBe(422);
    const cancelled = await admin
      .post(`/quan-tri/xep-hang/lich-hen/${row.id}/huy`)
      .type('form')
      .send({
        _csrf: csrfFrom(list.text),
        office_id: String(office.id),
        day: DAY,
        reason: 'Cơ quan nghỉ đột xuất',
      });
    expect(cancelled.status).toBe(303);
    expect(await placesLeft('07:30')).toBe(1);
    const group = await t.ctx.db
      .selectFrom('service_groups')
      .select('id')
      .where('office_id', '=', office.id)
      .where('code', '=', 'XE')
      .executeTakeFirstOrThrow();
    const freed = await admin
      .post('/quan-tri/xep-hang/lich-hen/khung-gio/huy')
      .type('form')
      .send({
        _csrf: await csrfOf(admin, `/quan-tri/xep-hang/lich-hen?office=${office.id}&day=${DAY}`),
        office_id: String(office.id),
        day: DAY,
        group_id: String(group.id),
        slot: '07:30',
        reason: 'Máy in hỏng',
      });
    expect(freed.status).toBe(303);
    expect(await placesLeft('07:30')).toBe(2);
    expect(await placesLeft('08:00')).toBe(1);
    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'actor_username'])
      .where('action', 'like', 'appointment.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['appointment.cancelled', 'appointment.slot_freed']);
    expect(audit.every((a) => a.actor_username === 'lanhdao')).toBe(true);
    const told = await t.ctx.db
      .selectFrom('notifications')
      .select('body')
      .where('kind', '=', 'booking_cancelled')
      .execute();
    expect(told).toHaveLength(2);
    expect(told[0]!.body).toContain('Cơ quan nghỉ đột xuất');
    const accessed = await t.ctx.db
      .selectFrom('access_events')
      .select('action')
      .where('action', '=', 'appointments.listed')
      .execute();
    expect(accessed.length).toBeGreaterThan(0);
  });
});

describe('with cold caches (the CI run that hung)', () => {
  // The message templates are kept for five seconds. A citizen slower than that between opening
  // the booking and cancelling it had them read again from inside the cancel's transaction: on
  // SQLite that query waited for the transaction's own connection, and the process hung.
  const cool = () => {
    forgetTemplates(t.ctx);
    t.ctx.masterData.invalidate();
  };

  it('the citizen and staff cancel after the caches expired, and the citizen is told', async () => {
    await start();
    const mine = await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '07:30', personal_id: '001090000001' },
      '198.51.100.1',
    );
    const theirs = await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '08:00', personal_id: '001090000002', phone: '0912000002' },
      '198.51.100.2',
    );
    await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '08:30', personal_id: '001090000003', phone: '0912000003' },
      '198.51.100.3',
    );
    const c = citizen(t.app, '198.51.100.1');
    const form = await c.withAddress(c.agent.get('/dat-lich/cua-toi'));
    await c
      .withAddress(c.agent.post('/dat-lich/cua-toi').type('form'))
      .send({ _csrf: csrfFrom(form.text), code: mine, phone: '0912345678' });
    const page = await c.withAddress(c.agent.get('/dat-lich/cua-toi/lich'));
    cool();
    const cancelled = await c
      .withAddress(c.agent.post('/dat-lich/cua-toi/huy').type('form'))
      .send({ _csrf: csrfFrom(page.text) });
    expect(cancelled.status).toBe(200);
    expect(cancelled.text).toContain('Đã hủy lịch hẹn');

    const admin = await loginAs(t.app, 'lanhdao');
    const office = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', OFFICE)
      .executeTakeFirstOrThrow();
    const listUrl = `/quan-tri/xep-hang/lich-hen?office=${office.id}&day=${DAY}`;
    const row = await t.ctx.db
      .selectFrom('appointments')
      .select(['id', 'group_id'])
      .where('code', '=', theirs)
      .executeTakeFirstOrThrow();
    const csrf = await csrfOf(admin, listUrl);
    cool();
    const byStaff = await admin
      .post(`/quan-tri/xep-hang/lich-hen/${row.id}/huy`)
      .type('form')
      .send({ _csrf: csrf, office_id: String(office.id), day: DAY, reason: 'Cơ quan họp' });
    expect(byStaff.status).toBe(303);
    cool();
    const freed = await admin
      .post('/quan-tri/xep-hang/lich-hen/khung-gio/huy')
      .type('form')
      .send({
        _csrf: csrf,
        office_id: String(office.id),
        day: DAY,
        group_id: String(row.group_id),
        slot: '08:30',
        reason: 'Máy in hỏng',
      });
    expect(freed.status).toBe(303);
    const told = await t.ctx.db
      .selectFrom('notifications')
      .select('recipient')
      .where('kind', '=', 'booking_cancelled')
      .orderBy('id')
      .execute();
    expect(told.map((n) => n.recipient)).toEqual(['0912345678', '0912000002', '0912000003']);
  });
});

describe('the code reaches the phone at once', () => {
  it('through the quiet hours, while other SMS wait for the morning', async () => {
    t = await createTestApp({ now: '2026-03-10T15:30:00Z', env: { TRUST_PROXY: 'true' } }); // 22:30 local
    await requestHold(citizen(t.app, '198.51.100.1'), {
      day: DAY,
      slot: '07:30',
      personal_id: '001090000001',
    });
    await t.ctx.db
      .insertInto('notifications')
      .values({
        dossier_id: null,
        office_id: 1,
        kind: 'queue_near',
        channel: 'sms',
        recipient: '0912000009',
        subject: '',
        body: 'x',
        params: '{}',
        state: 'queued',
        next_attempt_at: '2026-03-10T15:00:00Z',
        expires_at: '2026-03-11T15:00:00Z',
        created_at: '2026-03-10T15:00:00Z',
      })
      .execute();
    await drainOnce(t.ctx, 'test');
    const rows = await t.ctx.db
      .selectFrom('notifications')
      .select(['kind', 'state', 'body'])
      .orderBy('id')
      .execute();
    expect(rows.find((r) => r.kind === 'booking_code')).toMatchObject({ state: 'delivered' });
    expect(rows.find((r) => r.kind === 'booking_code')!.body).not.toMatch(/\d{6}/); // blanked once sent
    expect(rows.find((r) => r.kind === 'queue_near')).toMatchObject({ state: 'queued' });
  });
});
