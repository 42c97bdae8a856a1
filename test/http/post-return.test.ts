import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { applyRetention } from '../../src/retention/retention.service.js';
import { accountNamed, createOfficerAt, validIntake } from '../support/factories.js';
import { receiveFeeDossier } from '../support/payments.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

// Results returned by post: the dispatch with its tracking code, the delivery by hand or by the
// postal provider's callback, the citizen told, the portal's statuses, the pages.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' }); // Tue 10 Mar 2026, 09:00 local
});
afterEach(() => t.close());

const CODE_A = 'EB123456785VN';
const CODE_B = 'EB876543216VN';

async function receive(overrides: Record<string, unknown> = {}) {
  const r = await receiveDossier(
    t.ctx,
    await accountNamed(t.ctx, 'canbo'),
    await validIntake(t.ctx, { return_channel: 'post', notify: 'sms', ...overrides }),
  );
  return { code: r.code!, key: r.lookupKey! };
}

async function tokenOf(username: string, scope?: 'postal' | 'full') {
  const account = await accountNamed(t.ctx, username);
  return issueApiToken(t.ctx, account.id, 'test', null, scope ? { scope } : {});
}

const dossier = (code: string) =>
  t.ctx.db.selectFrom('dossiers').selectAll().where('code', '=', code).executeTakeFirstOrThrow();

async function act(token: string, code: string, action: string, body: Record<string, string> = {}) {
  const d = await dossier(code);
  return request(t.app)
    .post(`/api/v1/dossiers/${code}/actions/${action}`)
    .set('authorization', `Bearer ${token}`)
    .send({ version: String(d.version), ...body });
}

async function resultReady(code: string, token: string) {
  t.clock.set('2026-03-12T03:00:00Z'); // Thu 12 Mar, before the date
  expect((await act(token, code, 'mark_result_ready')).status).toBe(200);
}

const outbox = (dossierId: number) =>
  t.ctx.db
    .selectFrom('notifications')
    .select(['kind', 'body'])
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();

const portalRows = (dossierId: number) =>
  t.ctx.db
    .selectFrom('portal_sync_rows as r')
    .innerJoin('portal_sync_streams as s', 's.id', 'r.stream_id')
    .select(['r.change', 'r.national_status', 'r.record'])
    .where('s.dossier_id', '=', dossierId)
    .orderBy('r.seq')
    .execute();

function deliver(token: string | null, body: unknown) {
  const r = request(t.app).post('/api/v1/postal/deliveries');
  if (token) r.set('authorization', `Bearer ${token}`);
  return r.send(body as object);
}

describe('the dispatch by post', () => {
  it('records the tracking code, the address and the time; tells the citizen; the portal hears 9', async () => {
    const { code } = await receive();
    const canbo = await tokenOf('canbo');
    await resultReady(code, canbo);
    t.clock.set('2026-03-13T02:30:00Z');
    const sent = await act(canbo, code, 'dispatch_by_post', {
      post_tracking_code: 'eb 1234 5678 5vn',
      post_address: 'Số 5 phố Trần Hưng Đạo, phường Nam Định, Ninh Bình',
    });
    expect(sent.status).toBe(200);
    expect(sent.body.dossier.post).toEqual({
      tracking_code: CODE_A,
      address: 'Số 5 phố Trần Hưng Đạo, phường Nam Định, Ninh Bình',
      dispatched_at: '2026-03-13T02:30:00.000Z',
      delivered_on: null,
    });
    const d = await dossier(code);
    expect(d.status).toBe('result_ready');
    expect(d.outcome).toBe('early');
    const messages = await outbox(d.id);
    expect(messages.map((m) => m.kind)).toEqual(['receipt', 'reminder', 'result_ready', 'posted']);
    expect(messages.at(-1)!.body).toContain(CODE_A);
    const rows = await portalRows(d.id);
    expect(rows.at(-1)).toMatchObject({ change: 'dispatch_by_post', national_status: '9' });
    expect(JSON.parse(rows.at(-1)!.record).HinhThuc).toBe('1');
  });

  it('refuses a bad or reused tracking code in Vietnamese, and saves nothing', async () => {
    const { code } = await receive();
    const canbo = await tokenOf('canbo');
    await resultReady(code, canbo);
    const before = await dossier(code);
    for (const [typed, message] of [
      ['', 'Nhập mã bưu gửi'],
      ['123', 'gồm 2 chữ cái, 9 chữ số'],
      ['EB123456784VN', 'chữ số kiểm tra không khớp'],
    ] as const) {
      const r = await act(canbo, code, 'dispatch_by_post', {
        post_tracking_code: typed,
        post_address: 'ngắn',
      });
      expect(r.status).toBe(422);
      expect(r.body.error.fields.post_tracking_code).toContain(message);
      expect(r.body.error.fields.post_address).toContain('địa chỉ');
    }
    expect(await dossier(code)).toEqual(before);

    // A code already used for another dossier.
    const other = (await receive({ personal_id: '035090001235' })).code;
    await resultReady(other, canbo);
    const address = { post_address: 'Thôn 3, xã Hòa Hậu, Ninh Bình' };
    expect(
      (await act(canbo, code, 'dispatch_by_post', { post_tracking_code: CODE_A, ...address }))
        .status,
    ).toBe(200);
    const taken = await act(canbo, other, 'dispatch_by_post', {
      post_tracking_code: CODE_A,
      ...address,
    });
    expect(taken.status).toBe(422);
    expect(taken.body.error.fields.post_tracking_code).toBe(
      'Mã bưu gửi này đã ghi cho một hồ sơ khác.',
    );
    expect((await dossier(other)).post_tracking_code).toBeNull();

    // Two dossiers sent with one code at the same moment: one wins, the other is told.
    const [x, y] = [
      (await receive({ personal_id: '035090001236' })).code,
      (await receive({ personal_id: '035090001237' })).code,
    ];
    await resultReady(x, canbo);
    await resultReady(y, canbo);
    const [vx, vy] = [await dossier(x), await dossier(y)];
    const send = (c: string, version: number) =>
      request(t.app)
        .post(`/api/v1/dossiers/${c}/actions/dispatch_by_post`)
        .set('authorization', `Bearer ${canbo}`)
        .send({ version: String(version), post_tracking_code: CODE_B, ...address });
    const both = await Promise.all([send(x, vx.version), send(y, vy.version)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 422]);
    expect(both.find((r) => r.status === 422)!.body.error.fields.post_tracking_code).toBe(
      'Mã bưu gửi này đã ghi cho một hồ sơ khác.',
    );
    const holders = await t.ctx.db
      .selectFrom('dossiers')
      .select('code')
      .where('post_tracking_code', '=', CODE_B)
      .execute();
    expect(holders).toHaveLength(1);
  });

  it('follows the action table: post only, once, then no return at the counter; counter duty only', async () => {
    const canbo = await tokenOf('canbo');
    const atCounter = (await receive({ return_channel: 'counter' })).code;
    await resultReady(atCounter, canbo);
    const notPost = await act(canbo, atCounter, 'dispatch_by_post', {
      post_tracking_code: CODE_A,
      post_address: 'Thôn 3, xã Hòa Hậu, Ninh Bình',
    });
    expect(notPost.status).toBe(409);
    expect(notPost.body.error.code).toBe('not_post_channel');

    const { code } = await receive({ personal_id: '035090001235' });
    // Not before the result is ready.
    const early = await act(canbo, code, 'dispatch_by_post', {
      post_tracking_code: CODE_A,
      post_address: 'Thôn 3, xã Hòa Hậu, Ninh Bình',
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('invalid_transition');
    await resultReady(code, canbo);
    // A processor of a unit is not the counter.
    const xuly = await act(await tokenOf('xuly'), code, 'dispatch_by_post', {
      post_tracking_code: CODE_A,
      post_address: 'Thôn 3, xã Hòa Hậu, Ninh Bình',
    });
    expect(xuly.status).toBe(403);
    const body = { post_tracking_code: CODE_A, post_address: 'Thôn 3, xã Hòa Hậu, Ninh Bình' };
    expect((await act(canbo, code, 'dispatch_by_post', body)).status).toBe(200);
    const twice = await act(canbo, code, 'dispatch_by_post', {
      ...body,
      post_tracking_code: CODE_B,
    });
    expect(twice.status).toBe(409);
    const counter = await act(canbo, code, 'return_result', { returned_to: 'Nguyễn Văn An' });
    expect(counter.status).toBe(409);
    expect(counter.body.error.code).toBe('already_dispatched');
    // The actions offered: only the delivery now.
    const shown = await request(t.app)
      .get(`/api/v1/dossiers/${code}`)
      .set('authorization', `Bearer ${canbo}`);
    expect(shown.body.allowed_actions).toContain('post_delivered');
    expect(shown.body.allowed_actions).not.toContain('return_result');
    expect(shown.body.allowed_actions).not.toContain('dispatch_by_post');
  });

  it('sends no result whose fee is unpaid where the office requires the fee first', async () => {
    const code = await receiveFeeDossier(t.ctx, { return_channel: 'post' });
    const canbo = await tokenOf('canbo');
    await resultReady(code, canbo);
    await t.ctx.db
      .updateTable('offices')
      .set({ payment_required_before_return: 1 })
      .where('code', '=', '000.00.13.H40')
      .execute();
    t.ctx.masterData.invalidate();
    const body = { post_tracking_code: CODE_A, post_address: 'Thôn 3, xã Hòa Hậu, Ninh Bình' };
    const refused = await act(canbo, code, 'dispatch_by_post', body);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('fee_unpaid');
    expect((await dossier(code)).post_tracking_code).toBeNull();
    const paid = await request(t.app)
      .post(`/api/v1/dossiers/${code}/payments`)
      .set('authorization', `Bearer ${canbo}`)
      .send({ amount: 20000 });
    expect(paid.status).toBe(201);
    expect((await act(canbo, code, 'dispatch_by_post', body)).status).toBe(200);
  });

  it('judges early / on time / late on the day of the dispatch', async () => {
    const { code } = await receive();
    const canbo = await tokenOf('canbo');
    await resultReady(code, canbo); // early on 12 Mar
    const due = (await dossier(code)).due_on!;
    // Ready early, but left at the office until the day after the appointment.
    t.clock.set(new Date(Date.parse(`${due}T03:00:00Z`) + 24 * 3600_000).toISOString());
    const r = await act(canbo, code, 'dispatch_by_post', {
      post_tracking_code: CODE_A,
      post_address: 'Thôn 3, xã Hòa Hậu, Ninh Bình',
    });
    expect(r.status).toBe(200);
    expect((await dossier(code)).outcome).toBe('late');
  });
});

describe('the delivery', () => {
  async function dispatched() {
    const { code, key } = await receive();
    const canbo = await tokenOf('canbo');
    await resultReady(code, canbo);
    t.clock.set('2026-03-13T02:30:00Z'); // Fri 13 Mar
    expect(
      (
        await act(canbo, code, 'dispatch_by_post', {
          post_tracking_code: CODE_A,
          post_address: 'Thôn 3, xã Hòa Hậu, Ninh Bình',
        })
      ).status,
    ).toBe(200);
    return { code, key, canbo };
  }

  it('by hand: a day between the dispatch and today; the dossier is returned, the portal hears 10', async () => {
    const { code, canbo } = await dispatched();
    t.clock.set('2026-03-16T02:00:00Z'); // Mon 16 Mar
    for (const day of ['', '12/03/2026', '17/03/2026', '31/02/2026']) {
      const r = await act(canbo, code, 'post_delivered', { delivered_on: day });
      expect(r.status).toBe(422);
      expect(r.body.error.fields.delivered_on).toMatch(/ngày/i);
    }
    expect((await dossier(code)).status).toBe('result_ready');
    const r = await act(canbo, code, 'post_delivered', { delivered_on: '14/03/2026' });
    expect(r.status).toBe(200);
    const d = await dossier(code);
    expect(d).toMatchObject({
      status: 'returned',
      post_delivered_on: '2026-03-14',
      returned_at: '2026-03-14T10:00:00.000Z', // 17:00 local, the office's closing time
    });
    expect((await outbox(d.id)).at(-1)!.kind).toBe('returned');
    const rows = await portalRows(d.id);
    expect(rows.at(-1)).toMatchObject({ change: 'post_delivered', national_status: '10' });
    expect(JSON.parse(rows.at(-1)!.record).NgayTra).toBe('20260314170000');
  });

  it("by the postal provider's callback: postal token only, field errors, idempotent on the code", async () => {
    const { code } = await dispatched();
    t.clock.set('2026-03-16T02:00:00Z');
    const body = { tracking_code: CODE_A, delivered_at: '2026-03-15T09:20:00+07:00' };
    // No token, a bad token: 401. A token of another scope: 403.
    expect((await deliver(null, body)).status).toBe(401);
    expect((await deliver('nonsense', body)).status).toBe(401);
    const full = await deliver(await tokenOf('canbo', 'full'), body);
    expect(full.status).toBe(403);
    expect(full.body.error.code).toBe('token_scope');
    const postal = await tokenOf('canbo', 'postal');
    // A postal token opens nothing else.
    const other = await request(t.app)
      .get('/api/v1/dossiers')
      .set('authorization', `Bearer ${postal}`);
    expect(other.status).toBe(403);
    // Malformed deliveries: 422 with the fields, nothing saved.
    for (const [bad, fields] of [
      [[], ['body']],
      [{}, ['tracking_code', 'delivered_at']],
      [{ tracking_code: 'EB123', delivered_at: '2026-03-15T09:20:00+07:00' }, ['tracking_code']],
      [{ tracking_code: CODE_B, delivered_at: '2026-03-15T09:20:00+07:00' }, ['tracking_code']],
      [{ tracking_code: CODE_A, delivered_at: '15/03/2026' }, ['delivered_at']],
      [{ tracking_code: CODE_A, delivered_at: '2026-03-12T09:20:00+07:00' }, ['delivered_at']],
      [{ tracking_code: CODE_A, delivered_at: '2026-03-17T09:20:00+07:00' }, ['delivered_at']],
      [{ tracking_code: { a: 1 }, delivered_at: 3 }, ['tracking_code']],
    ] as const) {
      const r = await deliver(postal, bad);
      expect(r.status, JSON.stringify(bad)).toBe(422);
      expect(Object.keys(r.body.error.fields).sort()).toEqual([...fields].sort());
    }
    expect((await dossier(code)).status).toBe('result_ready');

    const first = await deliver(postal, { ...body, tracking_code: 'eb123456785vn' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      delivery: {
        tracking_code: CODE_A,
        dossier_code: code,
        status: 'returned',
        dispatched_at: '2026-03-13T02:30:00.000Z',
        delivered_on: '2026-03-15',
        returned_at: '2026-03-15T02:20:00.000Z',
      },
      replayed: false,
    });
    const again = await deliver(postal, body);
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    const d = await dossier(code);
    const events = await t.ctx.db
      .selectFrom('dossier_events')
      .select('action')
      .where('dossier_id', '=', d.id)
      .where('action', '=', 'post_delivered')
      .execute();
    expect(events).toHaveLength(1);
    expect((await portalRows(d.id)).filter((r) => r.change === 'post_delivered')).toHaveLength(1);
  });

  it("answers another office's postal token as if the code were unknown", async () => {
    await dispatched();
    await createOfficerAt(t.ctx, '000.11.13.H40', 'xa1');
    const r = await deliver(await tokenOf('xa1', 'postal'), {
      tracking_code: CODE_A,
      delivered_at: '2026-03-13T09:20:00+07:00',
    });
    expect(r.status).toBe(422);
    expect(r.body.error.fields.tracking_code).toBe(
      'Không có hồ sơ nào gửi kết quả với mã bưu gửi này.',
    );
  });

  it('shows the dispatch on the dossier page, the citizen lookup and the tracking book', async () => {
    const { code, key } = await dispatched();
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get(`/ho-so/${code}`);
    expect(page.text).toContain(CODE_A);
    expect(page.text).toContain('Đang chuyển phát');
    // The status badge says where the result is, as the citizen's page does.
    expect(page.text).toMatch(
      /<span class="status status-result_ready">Đã có kết quả, đang chuyển qua bưu chính<\/span>/,
    );
    expect(page.text).toContain('action-post_delivered');
    // The page's form: a bad day is answered in Vietnamese with the value kept.
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const bad = await agent
      .post(`/ho-so/${code}/hanh-dong/post_delivered`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, delivered_on: '40/03/2026' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Ngày phát không hợp lệ');
    expect(bad.text).toContain('40/03/2026');

    const lookup = await request(t.app).get('/tra-cuu').query({ ma: code, khoa: key });
    expect(lookup.text).toContain(CODE_A);
    expect(lookup.text).toContain('đang chuyển qua bưu chính');
    expect(lookup.text).not.toContain('Hòa Hậu');

    const lanhdao = await loginAs(t.app, 'lanhdao');
    const book = await lanhdao
      .get('/bao-cao/so-theo-doi')
      .query({ from: '2026-03-10', to: '2026-03-10' });
    expect(book.status).toBe(200);
    expect(book.text).toContain(`Gửi bưu chính, mã ${CODE_A}`);
  });
});

describe('retention', () => {
  it('forgets the address a result was posted to with the rest of the personal data', async () => {
    await t.close();
    t = await createTestApp({
      now: '2026-03-10T02:00:00Z',
      env: { RETENTION_CLOSED_DOSSIER_DAYS: '365' },
    });
    const { code } = await receive();
    const canbo = await tokenOf('canbo');
    await resultReady(code, canbo);
    await act(canbo, code, 'dispatch_by_post', {
      post_tracking_code: CODE_A,
      post_address: 'Số 5 phố Trần Hưng Đạo, Ninh Bình',
    });
    expect((await act(canbo, code, 'post_delivered', { delivered_on: '12/03/2026' })).status).toBe(
      200,
    );
    t.clock.advanceMinutes(400 * 24 * 60);
    expect(await applyRetention(t.ctx, { apply: true })).toMatchObject({ dossiers: 1 });
    expect(await dossier(code)).toMatchObject({
      address: '',
      post_address: null,
      post_tracking_code: CODE_A,
      post_delivered_on: '2026-03-12',
    });
  });
});
