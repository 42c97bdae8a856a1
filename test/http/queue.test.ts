import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { book, citizen, requestHold } from '../support/booking.js';
import { accountNamed, documentIds } from '../support/factories.js';
import { loadSnapshot } from '../../src/queue/queue-snapshot.service.js';
import { openOfficeByCode } from '../../src/queue/queue-setup.service.js';
import { phoneView } from '../../src/queue/tickets.service.js';
import { createTestApp, csrfFrom, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

const OFFICE = '000.00.13.H40';
let t: TestApp;
afterEach(async () => t?.close());

async function setup(now = '2026-03-10T02:00:00Z', env: Record<string, string> = {}) {
  t = await createTestApp({ now, env });
  const canbo = await accountNamed(t.ctx, 'canbo');
  const kiosk = await issueApiToken(t.ctx, canbo.id, 'kiosk', null, { scope: 'kiosk' });
  const staff = await issueApiToken(t.ctx, canbo.id, 'staff', null);
  const xuly = await accountNamed(t.ctx, 'xuly');
  const staff2 = await issueApiToken(t.ctx, xuly.id, 'staff2', null);
  return { kiosk, staff, staff2 };
}
const minutes = (n: number) => t.clock.set(new Date(t.clock.now().getTime() + n * 60_000));
const take = (token: string, body: Record<string, unknown>) =>
  request(t.app)
    .post('/api/v1/queue/tickets')
    .set('Authorization', `Bearer ${token}`)
    .send({ office: OFFICE, ...body });
async function counterId(number: number) {
  const row = await t.ctx.db
    .selectFrom('counters')
    .innerJoin('offices', 'offices.id', 'counters.office_id')
    .select('counters.id')
    .where('offices.code', '=', OFFICE)
    .where('counters.number', '=', number)
    .executeTakeFirstOrThrow();
  return row.id;
}
async function sit(token: string, number: number) {
  const id = await counterId(number);
  const account = (
    await t.ctx.db
      .selectFrom('api_tokens')
      .select('account_id')
      .where('name', '=', token === 'a' ? 'staff' : token)
      .executeTakeFirstOrThrow()
  ).account_id;
  await t.ctx.db
    .updateTable('counters')
    .set({ account_id: null })
    .where('account_id', '=', account)
    .execute();
  await t.ctx.db
    .updateTable('counters')
    .set({ account_id: account, signed_in_at: t.clock.now().toISOString() })
    .where('id', '=', id)
    .execute();
  return id;
}
const press = (token: string, id: number, action: string) =>
  request(t.app)
    .post(`/api/v1/queue/counters/${id}/${action}`)
    .set('Authorization', `Bearer ${token}`)
    .send({});

describe('tickets', () => {
  it('numbers each group per day from 001 with the people ahead and a follow link; a kiosk token does nothing else', async () => {
    const { kiosk } = await setup();
    const first = await take(kiosk, { service_group: 'CC' });
    expect(first.status).toBe(201);
    expect(first.body.ticket).toMatchObject({
      number: 'C001',
      state: 'waiting',
      people_ahead: 0,
      service_group: { code: 'CC' },
    });
    expect(first.body.ticket.follow_url).toMatch(/\/xep-hang\/[\w-]{20,}$/);
    expect((await take(kiosk, { service_group: 'CC' })).body.ticket).toMatchObject({
      number: 'C002',
      people_ahead: 1,
    });
    expect((await take(kiosk, { service_group: 'CT' })).body.ticket.number).toBe('T001');
    // The next local day starts again at 001.
    t.clock.set(new Date('2026-03-11T01:00:00Z'));
    expect((await take(kiosk, { service_group: 'CC' })).body.ticket.number).toBe('C001');
    // A kiosk token opens the kiosk's calls only.
    expect(
      (await request(t.app).get('/api/v1/dossiers').set('Authorization', `Bearer ${kiosk}`)).status,
    ).toBe(403);
    expect((await press(kiosk, await counterId(1), 'call-next')).status).toBe(403);
  });

  it('refuses bad input with field errors, and another office', async () => {
    const { kiosk } = await setup();
    const bad = await take(kiosk, { service_group: 'ZZ', priority: 'vip', phone: '12' });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual([
      'phone',
      'priority',
      'service_group',
    ]);
    expect((await take(kiosk, { office: '000.11.13.H40', service_group: 'CC' })).status).toBe(422);
    // A known reason the office's rule does not list (its default leaves out veterans) is refused too.
    expect(
      (await take(kiosk, { service_group: 'CC', priority: 'veteran' })).body.error.fields.priority,
    ).toBeTruthy();
    await t.ctx.db
      .updateTable('offices')
      .set({ queue_priorities: 'veteran' })
      .where('code', '=', OFFICE)
      .execute();
    t.ctx.masterData.invalidate();
    expect((await take(kiosk, { service_group: 'CC', priority: 'veteran' })).status).toBe(201);
    expect((await take(kiosk, { service_group: 'CC', priority: 'elderly' })).status).toBe(422);
    expect((await take(kiosk, { office: 'NOPE', service_group: 'CC' })).status).toBe(404);
    expect((await take(kiosk, { service_group: ['CC'] })).status).toBe(422);
    expect(
      (
        await request(t.app)
          .post('/api/v1/queue/tickets')
          .send({ office: OFFICE, service_group: 'CC' })
      ).status,
    ).toBe(401);
  });

  it("the phone page places a ticket taken since the hub's snapshot, never as over", async () => {
    // CI, 2026-12-05: a phone stream opened right after its ticket was taken got the hub's
    // snapshot from before the ticket and said "finished" without the people ahead.
    const { kiosk, staff } = await setup();
    const office = (await openOfficeByCode(t.ctx, OFFICE)).id;
    const first = (await take(kiosk, { service_group: 'CC' })).body.ticket;
    const before = await loadSnapshot(t.ctx, office);
    const second = (await take(kiosk, { service_group: 'CC' })).body.ticket;
    const key = (follow: string) => follow.split('/').pop()!;
    expect(await phoneView(t.ctx, before, second.id, key(second.follow_url))).toEqual({
      state: 'waiting',
      text: 'Còn 1 người phía trước',
      estimate: expect.any(String),
      ahead: 1,
    });
    expect(await phoneView(t.ctx, before, first.id, key(first.follow_url))).toMatchObject({
      state: 'waiting',
      ahead: 0,
    });
    // Called since the snapshot: the ticket's row says so.
    expect((await press(staff, await sit('staff', 1), 'call-next')).status).toBe(200);
    const after = await loadSnapshot(t.ctx, office);
    expect(await phoneView(t.ctx, after, first.id, key(first.follow_url))).toMatchObject({
      state: 'called',
      text: expect.stringContaining('Quầy 1'),
    });
    expect(await phoneView(t.ctx, after, second.id, key(second.follow_url))).toMatchObject({
      state: 'waiting',
      ahead: 0,
    });
  });
});

describe('the counter', () => {
  it('calls appointments whose slot began, then priority, then by arrival; recall, skip, transfer', async () => {
    const { kiosk, staff, staff2 } = await setup();
    await take(kiosk, { service_group: 'CC' }); // C001 walk-in 09:00
    minutes(1);
    await take(kiosk, { service_group: 'CC', priority: 'elderly' }); // C002 priority
    minutes(1);
    // A booking for 09:00 today, checked in at 09:02.
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
      .send({ office: OFFICE, booking: '001090012345', proof: '5678' });
    expect(checkedIn.status).toBe(201);
    expect(checkedIn.body.ticket).toMatchObject({
      number: 'C003',
      appointment: true,
      people_ahead: 0,
    });
    expect(
      (
        await request(t.app)
          .post('/api/v1/queue/check-in')
          .set('Authorization', `Bearer ${kiosk}`)
          .send({ office: OFFICE, booking: 'DL-ABCDEFGH' })
      ).body.error.code,
    ).toBe('booking_used'); // docs/API.md: 409

    // Not seated: refused.
    expect((await press(staff, await counterId(1), 'call-next')).status).toBe(403);
    const c1 = await sit('staff', 1);
    const order: string[] = [];
    for (let i = 0; i < 3; i++)
      order.push((await press(staff, c1, 'call-next')).body.ticket.number);
    expect(order).toEqual(['C003', 'C002', 'C001']);
    const recalled = await press(staff, c1, 'recall');
    expect(recalled.status).toBe(200);
    expect((await press(staff, c1, 'start')).body.ticket.state).toBe('serving');
    const notAbsent = await press(staff, c1, 'skip');
    expect(notAbsent.status).toBe(409);
    expect(notAbsent.body.error.code).toBe('ticket_serving');
    expect((await press(staff, c1, 'finish')).body.ticket).toMatchObject({
      number: 'C001',
      state: 'done',
    });
    await take(kiosk, { service_group: 'CC' });
    expect((await press(staff, c1, 'call-next')).body.ticket.number).toBe('C004');
    const skipped = await press(staff, c1, 'skip');
    expect(skipped.body.ticket).toMatchObject({ number: 'C004', state: 'no_show' });
    const empty = await press(staff, c1, 'call-next');
    expect(empty.status).toBe(409);
    expect(empty.body.error.code).toBe('queue_empty');
    expect((await press(staff, c1, 'dance')).status).toBe(404);

    // Transfer keeps the ticket's place in time: it goes to cư trú and counter 2 calls it.
    const t2 = (await take(kiosk, { service_group: 'CC' })).body.ticket;
    const moved = await request(t.app)
      .post(`/api/v1/queue/tickets/${t2.id}/transfer`)
      .set('Authorization', `Bearer ${staff}`)
      .send({ service_group: 'CT' });
    expect(moved.status).toBe(200);
    expect(moved.body.ticket.service_group.code).toBe('CT');
    expect(
      (
        await request(t.app)
          .post(`/api/v1/queue/tickets/${t2.id}/transfer`)
          .set('Authorization', `Bearer ${staff}`)
          .send({ service_group: 'CT' })
      ).status,
    ).toBe(422);
    const c2 = await sit('staff2', 2);
    expect((await press(staff2, c2, 'call-next')).body.ticket.number).toBe(t2.number);
    const queue = await request(t.app)
      .get(`/api/v1/queue/${OFFICE}`)
      .set('Authorization', `Bearer ${kiosk}`);
    expect(queue.status).toBe(200);
    expect(queue.body.calls[0]).toMatchObject({ number: t2.number, counter: 'Quầy 2' });
    expect(queue.body.counters.find((c: { number: number }) => c.number === 2).officer).toBe(
      'Lê Thị Thu',
    );
    // Another office's queue: not for this office's kiosk.
    expect(
      (
        await request(t.app)
          .get('/api/v1/queue/000.11.13.H40')
          .set('Authorization', `Bearer ${kiosk}`)
      ).status,
    ).toBe(403);
  });

  it('two counters calling at once never take one ticket', async () => {
    const { kiosk, staff, staff2 } = await setup();
    for (let i = 0; i < 6; i++) await take(kiosk, { service_group: 'CC' });
    const a = await sit('staff', 1);
    const b = await sit('staff2', 2);
    const answers = await Promise.all([
      press(staff, a, 'call-next'),
      press(staff2, b, 'call-next'),
      press(staff, a, 'call-next'),
      press(staff2, b, 'call-next'),
    ]);
    const numbers = answers.map((r) => r.body.ticket.number);
    expect(new Set(numbers).size).toBe(4);
    const called = await t.ctx.db
      .selectFrom('tickets')
      .select(['number', 'state'])
      .orderBy('id')
      .execute();
    expect(called.filter((c) => c.state === 'waiting').map((c) => c.number)).toEqual([
      'C005',
      'C006',
    ]);
  });

  it('tells a citizen whose number is near, once, through the outbox', async () => {
    const { kiosk, staff } = await setup();
    await take(kiosk, { service_group: 'CC' });
    await take(kiosk, { service_group: 'CC' });
    await take(kiosk, { service_group: 'CC' });
    await take(kiosk, { service_group: 'CC', phone: '0912 345 678' }); // C004: 3 ahead
    const c1 = await sit('staff', 1);
    await press(staff, c1, 'call-next'); // C001 called: C004 now has 2 ahead (near at 3)
    await press(staff, c1, 'call-next');
    const near = await t.ctx.db
      .selectFrom('notifications')
      .selectAll()
      .where('kind', '=', 'queue_near')
      .execute();
    expect(near).toHaveLength(1);
    expect(near[0]).toMatchObject({ channel: 'sms', recipient: '0912345678', dossier_id: null });
    expect(near[0]!.body).toContain('C004');
  });
});

describe('intake from a ticket', () => {
  it('the dossier records its ticket, and its record shows the wait and the service start', async () => {
    const { kiosk, staff } = await setup();
    const ticket = (await take(kiosk, { service_group: 'CC' })).body.ticket;
    minutes(12);
    const c1 = await sit('staff', 1);
    await press(staff, c1, 'call-next');
    minutes(1);
    const procedure = await t.ctx.db
      .selectFrom('procedures')
      .select(['code', 'id'])
      .where('code', '=', '2.000200')
      .executeTakeFirstOrThrow();
    const body = {
      procedure_code: procedure.code,
      outcome: 'accept',
      documents: (await documentIds(t.ctx, procedure.code)).map(String),
      applicant_name: 'Nguyễn Văn An',
      personal_id: '001090012345',
      birth_date: '1990-01-01',
      sex: 'male',
      phone: '0912345678',
      address: 'Thôn 3, xã Lý Nhân',
      ticket_id: String(ticket.id),
    };
    const created = await request(t.app)
      .post('/api/v1/dossiers')
      .set('Authorization', `Bearer ${staff}`)
      .send(body);
    expect(created.status).toBe(201);
    expect(created.body.dossier.ticket_id).toBe(ticket.id);
    const detail = await request(t.app)
      .get(`/api/v1/dossiers/${encodeURIComponent(created.body.dossier.code)}`)
      .set('Authorization', `Bearer ${staff}`);
    expect(detail.body.ticket).toMatchObject({
      number: 'C001',
      counter: 'Quầy 1',
      waited_seconds: 12 * 60,
      issued_at: '2026-03-10T02:00:00.000Z',
      serving_at: '2026-03-10T02:13:00.000Z',
    });
    expect(detail.body.return_tickets).toEqual([]);
    // Item 7: no pickup ticket while the result is not ready, and a wrong code says so.
    const early = await take(kiosk, {
      service_group: 'KQ',
      dossier_code: created.body.dossier.code,
    });
    expect(early.status).toBe(422);
    expect(early.body.error.fields.dossier_code).toContain('chưa có kết quả');
    await t.ctx.db
      .updateTable('dossiers')
      .set({ status: 'result_ready' })
      .where('code', '=', created.body.dossier.code)
      .execute();
    // Later the citizen takes a result pickup ticket with the dossier's code: the record shows it too.
    const pickup = await take(kiosk, {
      service_group: 'KQ',
      dossier_code: created.body.dossier.code,
    });
    expect(pickup.status).toBe(201);
    expect(pickup.body.ticket.number).toBe('K001');
    expect(
      (await take(kiosk, { service_group: 'KQ', dossier_code: 'NO-SUCH-CODE' })).body.error.fields
        .dossier_code,
    ).toContain('Không tìm thấy hồ sơ có mã này');
    const later = await request(t.app)
      .get(`/api/v1/dossiers/${encodeURIComponent(created.body.dossier.code)}`)
      .set('Authorization', `Bearer ${staff}`);
    expect(later.body.return_tickets).toMatchObject([{ number: 'K001', state: 'waiting' }]);
    const page = await (
      await loginAs(t.app, 'canbo')
    ).get(`/ho-so/${encodeURIComponent(created.body.dossier.code)}`);
    expect(page.text).toMatch(/data-ticket>[\s\S]*C001/);
    expect(page.text).toMatch(/data-return-ticket>[\s\S]*K001/);
    // A ticket of no one, or one not called: field error, nothing saved.
    const waiting = (await take(kiosk, { service_group: 'CC' })).body.ticket;
    const refused = await request(t.app)
      .post('/api/v1/dossiers')
      .set('Authorization', `Bearer ${staff}`)
      .send({ ...body, ticket_id: String(waiting.id) });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields.ticket_id).toBeTruthy();
    expect(
      (
        await request(t.app)
          .post('/api/v1/dossiers')
          .set('Authorization', `Bearer ${staff}`)
          .send({ ...body, ticket_id: 'abc' })
      ).status,
    ).toBe(422);
  });
});

describe('pages', () => {
  it('kiosk: refused without a kiosk token or officer; with the token, a tap gives a printed ticket', async () => {
    const { kiosk } = await setup();
    const anonymous = await request(t.app).get(`/kiosk/${OFFICE}`);
    expect(anonymous.status).toBe(403);
    expect(anonymous.text).toContain('chưa được đăng ký');
    const device = request.agent(t.app);
    const opened = await device.get(`/kiosk/${OFFICE}?khoa=${kiosk}`);
    expect(opened.status).toBe(303);
    const page = await device.get(`/kiosk/${OFFICE}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Căn cước, định danh điện tử');
    const issued = await device
      .post(`/kiosk/${OFFICE}/lay-so`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), service_group: 'CC', priority: 'elderly' });
    expect(issued.status).toBe(303);
    const ticket = await device.get(issued.headers.location!);
    expect(ticket.status).toBe(200);
    expect(ticket.text).toContain('C001');
    expect(ticket.text).toContain('Người cao tuổi');
    expect(ticket.text).toContain('<svg');
    const bad = await device
      .post(`/kiosk/${OFFICE}/lay-so`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), service_group: 'CC', phone: 'abc' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('10 chữ số');
    const badBooking = await device
      .post(`/kiosk/${OFFICE}/xac-nhan`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), booking: 'DL-NOPE' });
    expect(badBooking.status).toBe(422);
  });

  it('the counter console calls, the intake page opens from the ticket, the display and the phone page show it', async () => {
    const { kiosk } = await setup();
    const ticket = (await take(kiosk, { service_group: 'CC' })).body.ticket;
    const agent = await loginAs(t.app, 'canbo');
    const choose = await agent.get('/quay');
    expect(choose.status).toBe(200);
    const c1 = await counterId(1);
    expect(
      (
        await agent
          .post(`/quay/${c1}/ngoi`)
          .type('form')
          .send({ _csrf: csrfFrom(choose.text) })
      ).status,
    ).toBe(303);
    const console = await agent.get(`/quay/${c1}`);
    expect(console.text).toContain('Gọi số tiếp theo');
    const called = await agent
      .post(`/quay/${c1}/thao-tac/call-next`)
      .type('form')
      .send({ _csrf: csrfFrom(console.text) });
    expect(called.status).toBe(303);
    const after = await agent.get(`/quay/${c1}`);
    expect(after.text).toContain('Đã gọi số C001');
    expect(after.text).toContain(`/ho-so/moi?so=${ticket.id}`);
    const pick = await agent.get(`/ho-so/moi?so=${ticket.id}`);
    expect(pick.text).toContain('C001');
    expect(pick.text).toContain(`&amp;so=${ticket.id}`);
    const form = await agent.get(`/ho-so/moi?thu-tuc=2.000200&so=${ticket.id}`);
    expect(form.text).toContain(`name="ticket_id" value="${ticket.id}"`);
    const display = await request(t.app).get(`/man-hinh/${OFFICE}`);
    expect(display.status).toBe(200);
    expect(display.text).toMatch(/C001[\s\S]*Quầy 1/);
    const phone = await request(t.app).get(new URL(ticket.follow_url).pathname);
    expect(phone.status).toBe(200);
    expect(phone.text).toContain('Đã gọi');
    expect((await request(t.app).get('/xep-hang/not-a-real-key-at-all')).status).toBe(404);
    expect((await request(t.app).get('/man-hinh/NOPE')).status).toBe(404);
    // Leaving the counter, then pressing: refused.
    await agent
      .post(`/quay/${c1}/roi`)
      .type('form')
      .send({ _csrf: await csrfOf(agent, `/quay/${c1}`) });
    expect(
      (
        await agent
          .post(`/quay/${c1}/thao-tac/call-next`)
          .type('form')
          .send({ _csrf: await csrfOf(agent, `/quay/${c1}`) })
      ).status,
    ).toBe(403);
  });

  it('booking: working days only, capacity per slot, then check-in at the kiosk', async () => {
    const { kiosk } = await setup('2026-03-10T02:00:00Z', { TRUST_PROXY: 'true' });
    const page = await request(t.app).get(
      `/dat-lich?office=${OFFICE}&service_group=XE&day=2026-03-11`,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('còn 2 chỗ');
    expect(page.text).not.toContain('value="2026-03-14"'); // a Saturday
    const form = (pid: string, phone: string) => ({
      day: '2026-03-11',
      slot: '07:30',
      personal_id: pid,
      phone,
    });
    const code = await book(t.ctx, t.app, form('001090000001', '0912000001'), '198.51.100.1');
    await book(t.ctx, t.app, form('001090000002', '0912000002'), '198.51.100.2');
    const full = await requestHold(
      citizen(t.app, '198.51.100.3'),
      form('001090000003', '0912000003'),
    );
    expect(full.status).toBe(409);
    expect(full.text).toContain('hết chỗ');
    const agent = request.agent(t.app);
    const open = await agent.get(`/dat-lich?office=${OFFICE}&service_group=XE&day=2026-03-11`);
    const weekend = await agent
      .post('/dat-lich')
      .type('form')
      .send({
        _csrf: csrfFrom(open.text),
        office: OFFICE,
        service_group: 'XE',
        applicant_name: 'Trần Văn Bình',
        ...form('001090000004', '0912000004'),
        day: '2026-03-14',
      });
    expect(weekend.status).toBe(422);
    // On the day, at 07:35, the booking checks in ahead of a walk-in who came earlier.
    t.clock.set(new Date('2026-03-10T23:50:00Z'));
    await take(kiosk, { service_group: 'XE' });
    t.clock.set(new Date('2026-03-11T00:35:00Z'));
    const checked = await request(t.app)
      .post('/api/v1/queue/check-in')
      .set('Authorization', `Bearer ${kiosk}`)
      .send({ office: OFFICE, booking: code });
    expect(checked.status).toBe(201);
    expect(checked.body.ticket.people_ahead).toBe(0);
    // The second booking checks in at the counter, by ID number and the phone's last digits.
    const officer = await loginAs(t.app, 'canbo');
    const c3 = await counterId(3);
    const console = await officer.get(`/quay/${c3}`);
    const wrong = await officer
      .post(`/quay/${c3}/xac-nhan`)
      .type('form')
      .send({ _csrf: csrfFrom(console.text), booking: '001090009999', proof: '0002' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Không tìm thấy lịch hẹn');
    const atCounter = await officer
      .post(`/quay/${c3}/xac-nhan`)
      .type('form')
      .send({ _csrf: csrfFrom(console.text), booking: '001090000002', proof: '0002' });
    expect(atCounter.status).toBe(303);
    expect((await officer.get(`/quay/${c3}`)).text).toContain('Đã xác nhận lịch hẹn: số X003');
  });

  it('limits anonymous bookings per client address', async () => {
    await setup('2026-03-10T02:00:00Z', { BOOKING_RATE_LIMIT_PER_HOUR: '2' });
    const c = citizen(t.app);
    const hold = (pid: string, slot: string) =>
      requestHold(c, {
        service_group: 'CC',
        day: '2026-03-11',
        slot,
        personal_id: pid,
        phone: `09120000${pid.slice(-2)}`,
      });
    expect((await hold('001090000001', '08:00')).status).toBe(303);
    expect((await hold('001090000002', '08:30')).status).toBe(303);
    const third = await hold('001090000003', '09:00');
    expect(third.status).toBe(429);
    expect(third.text).toContain('Quá nhiều lần đặt lịch');
    expect(await t.ctx.db.selectFrom('appointment_holds').select('id').execute()).toHaveLength(2);
  });

  it('the queue report counts every ticket and gives median and 90th percentile waits', async () => {
    const { kiosk, staff } = await setup();
    const c1 = await sit('staff', 1);
    const waits = [3, 5, 8, 13, 21];
    for (const w of waits) {
      await take(kiosk, { service_group: 'CC' });
      minutes(w);
      await press(staff, c1, 'call-next');
      minutes(2);
    }
    await press(staff, c1, 'finish');
    await take(kiosk, { service_group: 'CT' });
    const agent = await loginAs(t.app, 'lanhdao');
    const page = await agent.get('/bao-cao/xep-hang?from=2026-03-10&to=2026-03-10');
    expect(page.status).toBe(200);
    const rows = await t.ctx.db.selectFrom('tickets').selectAll().execute();
    const total = /data-table="name"[\s\S]*?<td data-col="tickets"[^>]*>(\d+)<\/td>/.exec(
      page.text,
    )![1];
    expect(Number(total)).toBe(rows.length);
    const medianSeconds = /data-col="waitMedian" data-seconds="(\d+)"/.exec(page.text)![1];
    expect(Number(medianSeconds)).toBe(8 * 60);
    const p90 = /data-col="waitP90" data-seconds="(\d+)"/.exec(page.text)![1];
    expect(Number(p90)).toBe(21 * 60);
    expect((await agent.get('/bao-cao/xep-hang?from=2026-01-01&to=2026-12-31')).status).toBe(422);
    expect((await agent.get('/bao-cao/xep-hang?from=garbage')).status).toBe(422);
    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get('/bao-cao/xep-hang')).status).toBe(403);
  });
});
