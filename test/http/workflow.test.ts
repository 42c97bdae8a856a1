import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';
import { accountNamed, createOfficerAt, documentIds, validIntake } from '../support/factories.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';

let t: TestApp;
type Agent = Awaited<ReturnType<typeof loginAs>>;

async function setup(env: Record<string, string> = {}) {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z', env }); // Tue 10 Mar 2026, 09:00 local
}
afterEach(() => t.close());

async function receive(overrides: Record<string, unknown> = {}): Promise<string> {
  const result = await receiveDossier(
    t.ctx,
    await accountNamed(t.ctx, 'canbo'),
    await validIntake(t.ctx, overrides),
  );
  return result.code!;
}

async function act(
  agent: Agent,
  code: string,
  action: string,
  fields: Record<string, string> = {},
) {
  const page = await agent.get(`/ho-so/${code}`);
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '0';
  return agent
    .post(`/ho-so/${code}/hanh-dong/${action}`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version, ...fields });
}

const dossier = (code: string) =>
  t.ctx.db.selectFrom('dossiers').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
const events = async (code: string) => {
  const d = await dossier(code);
  return t.ctx.db
    .selectFrom('dossier_events')
    .selectAll()
    .where('dossier_id', '=', d.id)
    .orderBy('id')
    .execute();
};

describe('the whole lifecycle through the pages', () => {
  beforeEach(() => setup());

  it('received → processing → supplement → processing → result ready → returned, each step an event', async () => {
    const code = await receive();
    const agent = await loginAs(t.app, 'canbo');
    expect((await act(agent, code, 'start_processing')).status).toBe(303);

    t.clock.set('2026-03-11T03:00:00Z'); // Wed 11 Mar
    const supplement = await act(agent, code, 'request_supplement', {
      supplement_what: 'Ảnh chân dung mới',
      reason: 'Ảnh cũ không đạt chuẩn chụp.',
    });
    expect(supplement.status).toBe(303);
    expect(supplement.headers.location).toBe(`/ho-so/${code}/phieu/supplement`);
    const slip = await agent.get(supplement.headers.location!);
    expect(slip.text).toContain('Ảnh chân dung mới');

    t.clock.set('2026-03-16T03:00:00Z'); // Mon 16 Mar: restart gives 7 WD from here
    expect((await act(agent, code, 'receive_supplement')).status).toBe(303);
    expect((await dossier(code)).due_on).toBe('2026-03-25');

    t.clock.set('2026-03-24T08:00:00Z'); // Tue 24 Mar: a day early
    expect((await act(agent, code, 'mark_result_ready')).status).toBe(303);
    expect((await dossier(code)).outcome).toBe('early');

    t.clock.set('2026-03-26T02:00:00Z');
    const back = await act(agent, code, 'return_result', { returned_to: 'Nguyễn Văn An' });
    expect(back.status).toBe(303);
    const final = await dossier(code);
    expect(final).toMatchObject({
      status: 'returned',
      outcome: 'early',
      returned_to: 'Nguyễn Văn An',
      returned_at: '2026-03-26T02:00:00.000Z',
    });
    expect((await events(code)).map((e) => `${e.action}:${e.from_status}->${e.to_status}`)).toEqual(
      [
        'received:null->received',
        'start_processing:received->processing',
        'request_supplement:processing->supplement_requested',
        'receive_supplement:supplement_requested->processing',
        'mark_result_ready:processing->result_ready',
        'return_result:result_ready->returned',
      ],
    );
    const page = await agent.get(`/ho-so/${code}`);
    expect(page.text).toContain('Hồ sơ đã kết thúc');
    expect(page.text).toContain('Ngày hẹn: 19/03/2026 → 25/03/2026');
  });

  it('classifies on time and late by local day', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const onTime = await receive();
    t.clock.set('2026-03-19T09:59:00Z'); // 16:59 on the due day
    await act(agent, onTime, 'mark_result_ready');
    expect((await dossier(onTime)).outcome).toBe('on_time');

    t.clock.set('2026-03-10T02:00:00Z');
    const late = await receive();
    t.clock.set('2026-03-19T17:30:00Z'); // 00:30 on 20 Mar local
    await act(agent, late, 'mark_result_ready');
    expect((await dossier(late)).outcome).toBe('late');
  });

  it('reschedules a late dossier once, with an apology letter, and it still counts late', async () => {
    const code = await receive();
    const agent = await loginAs(t.app, 'canbo');
    t.clock.set('2026-03-19T03:00:00Z');
    const bad = await act(agent, code, 'reschedule', {
      new_due_date: '2026-03-21',
      reason: 'Chờ xác minh thông tin từ Công an tỉnh.',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Ngày hẹn mới phải là ngày làm việc');
    const ok = await act(agent, code, 'reschedule', {
      new_due_date: '2026-03-24',
      reason: 'Chờ xác minh thông tin từ Công an tỉnh.',
    });
    expect(ok.status).toBe(303);
    const letter = await agent.get(ok.headers.location!);
    expect(letter.text).toContain('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
    expect(letter.text).toContain('17 giờ 00 phút, ngày 24 tháng 3 năm 2026');
    const again = await act(agent, code, 'reschedule', {
      new_due_date: '2026-03-25',
      reason: 'Lần thứ hai không được phép.',
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain('đã được hẹn lại một lần');
    expect((await agent.get(`/ho-so/${code}`)).text).not.toContain('id="action-reschedule"');
    t.clock.set('2026-03-23T03:00:00Z');
    await act(agent, code, 'mark_result_ready');
    expect((await dossier(code)).outcome).toBe('late');
  });

  it.each([
    ['stop', 'stopped'],
    ['withdraw', 'withdrawn'],
    ['refuse', 'refused'],
  ])('%s needs a reason and closes the dossier as %s', async (action, status) => {
    const code = await receive();
    const agent = await loginAs(t.app, 'canbo');
    const empty = await act(agent, code, action, { reason: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Nêu rõ lý do');
    const ok = await act(agent, code, action, {
      reason: 'Công dân đề nghị bằng văn bản ngày 10/3.',
    });
    expect(ok.status).toBe(303);
    expect(await dossier(code)).toMatchObject({ status, closed_at: '2026-03-10T02:00:00.000Z' });
  });

  it('keeps typed values and marks the field when an action is missing what it needs', async () => {
    const code = await receive();
    const agent = await loginAs(t.app, 'canbo');
    const supplement = await act(agent, code, 'request_supplement', {
      supplement_what: 'Ảnh 3x4',
      reason: '',
    });
    expect(supplement.status).toBe(422);
    expect(supplement.text).toContain('Nêu rõ lý do (ít nhất 10 ký tự).');
    expect(supplement.text).toContain('>Ảnh 3x4</textarea>');
    await act(agent, code, 'mark_result_ready');
    const noName = await act(agent, code, 'return_result', { returned_to: ' ' });
    expect(noName.status).toBe(422);
    expect(noName.text).toContain('Nhập họ tên người nhận kết quả.');
    const control = await act(agent, code, 'return_result', { returned_to: 'An\u0007' });
    expect(control.status).toBe(422);
    expect((await dossier(code)).status).toBe('result_ready');
  });

  it('answers an impossible transition with 409 and a clear message, changing nothing', async () => {
    const code = await receive();
    const agent = await loginAs(t.app, 'canbo');
    const res = await act(agent, code, 'return_result', { returned_to: 'Ai đó' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(
      'Không thể &#34;Trả kết quả&#34; khi hồ sơ đang ở trạng thái &#34;Đã tiếp nhận&#34;.',
    );
    expect((await dossier(code)).status).toBe('received');
    expect(await events(code)).toHaveLength(1);
  });

  it('answers a stale version (someone else acted first) with 409', async () => {
    const code = await receive();
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get(`/ho-so/${code}`);
    await act(agent, code, 'start_processing');
    const stale = await agent
      .post(`/ho-so/${code}/hanh-dong/request_supplement`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version: '1',
        supplement_what: 'Ảnh',
        reason: 'Ảnh không đạt chuẩn.',
      });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('vừa được người khác cập nhật');
    expect((await dossier(code)).status).toBe('processing');
  });

  it('records every print and reprint as an event; a receipt reprint issues a new lookup key', async () => {
    const code = await receive();
    const agent = await loginAs(t.app, 'canbo');
    const before = (await dossier(code)).lookup_key_hash;
    const page = await agent.get(`/ho-so/${code}`);
    const reprint = await agent
      .post(`/ho-so/${code}/phieu/receipt`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), kho: '80mm' });
    expect(reprint.status).toBe(303);
    expect(reprint.headers.location).toBe(`/ho-so/${code}/phieu/receipt?in=1&kho=80mm`);
    const slip = await agent.get(reprint.headers.location!);
    expect(slip.text).toContain('class="thermal"');
    expect(slip.text).toContain('<svg');
    expect((await dossier(code)).lookup_key_hash).not.toBe(before);
    await agent
      .post(`/ho-so/${code}/phieu/control`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    const control = await agent.get(`/ho-so/${code}/phieu/control`);
    expect(control.text).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect((await events(code)).map((e) => e.action)).toEqual([
      'received',
      'receipt.reprinted',
      'slip.printed',
    ]);
  });

  it('offers no slip a dossier does not have', async () => {
    const code = await receive();
    const agent = await loginAs(t.app, 'canbo');
    expect((await agent.get(`/ho-so/${code}/phieu/apology`)).status).toBe(404);
    expect((await agent.get(`/ho-so/${code}/phieu/nonsense`)).status).toBe(404);
  });
});

describe('the pause clock policy', () => {
  beforeEach(() => setup({ SUPPLEMENT_CLOCK: 'pause' }));

  it('moves the due date by the working days spent waiting', async () => {
    const code = await receive(); // due Thu 19 Mar
    const agent = await loginAs(t.app, 'canbo');
    t.clock.set('2026-03-11T03:00:00Z'); // Wed 11
    await act(agent, code, 'request_supplement', {
      supplement_what: 'Giấy khai sinh',
      reason: 'Thông tin năm sinh chưa khớp.',
    });
    t.clock.set('2026-03-16T03:00:00Z'); // Mon 16: waited Thu 12, Fri 13, Mon 16 = 3 WD
    await act(agent, code, 'receive_supplement');
    const d = await dossier(code);
    expect(d.due_on).toBe('2026-03-24');
    const ev = (await events(code)).at(-1)!;
    expect(JSON.parse(ev.details)).toMatchObject({
      clockPolicy: 'pause',
      pausedWorkingDays: 3,
      dueOnBefore: '2026-03-19',
      dueOnAfter: '2026-03-24',
    });
  });
});

describe('permissions', () => {
  beforeEach(() => setup());

  it('hides a dossier from an officer of another office (404, like a missing one) and from visitors (login)', async () => {
    const code = await receive();
    await createOfficerAt(t.ctx, '000.12.13.H40', 'canbo_hoahau');
    const other = await loginAs(t.app, 'canbo_hoahau');
    expect((await other.get(`/ho-so/${code}`)).status).toBe(404);
    const page = await other.get('/ho-so/hom-nay');
    const res = await other
      .post(`/ho-so/${code}/hanh-dong/start_processing`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: '1' });
    expect(res.status).toBe(404);
    expect((await dossier(code)).status).toBe('received');
    const search = await other.get('/ho-so?q=nguyen%20van%20an');
    expect(search.text).not.toContain(code);
  });

  it('lets the district supervisor see a commune dossier', async () => {
    await createOfficerAt(t.ctx, '000.12.13.H40', 'canbo_hoahau');
    const communeOfficer = await accountNamed(t.ctx, 'canbo_hoahau');
    const result = await receiveDossier(t.ctx, communeOfficer, await validIntake(t.ctx));
    expect(result.code).toBe('000.12.13.H40-260310-0001');
    const supervisor = await loginAs(t.app, 'lanhdao');
    expect((await supervisor.get(`/ho-so/${result.code}`)).status).toBe(200);
  });

  it('sends a visitor to the login page', async () => {
    const code = await receive();
    const { default: request } = await import('supertest');
    const res = await request(t.app).get(`/ho-so/${code}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/dang-nhap/);
  });
});

describe('search and board', () => {
  beforeEach(() => setup());

  it('finds by name without diacritics (đ folds to d), by ID number, phone and code, paged', async () => {
    const first = await receive();
    await receive({
      applicant_name: 'Đặng Thị Đào',
      personal_id: '035195004321',
      birth_date: '1995-02-03',
      sex: 'female',
      phone: '0868123456',
    });
    const agent = await loginAs(t.app, 'canbo');
    const byName = await agent.get('/ho-so?q=nguyen%20van%20an');
    expect(byName.text).toContain('Nguyễn Văn An');
    expect(byName.text).not.toContain('Đặng Thị Đào');
    expect((await agent.get('/ho-so?q=dang%20thi%20dao')).text).toContain('Đặng Thị Đào');
    expect((await agent.get('/ho-so?q=%C4%90%E1%BA%B7ng')).text).toContain('Đặng Thị Đào');
    expect((await agent.get('/ho-so?q=035195004321')).text).toContain('Đặng Thị Đào');
    expect((await agent.get('/ho-so?q=%2B84868123456')).text).toContain('Đặng Thị Đào');
    // An exact code opens the dossier; so does a scanned receipt (its lookup URL); part of a code lists.
    const byCode = await agent.get(`/ho-so?q=${first}`);
    expect([byCode.status, byCode.headers.location]).toEqual([
      303,
      `/ho-so/${encodeURIComponent(first)}`,
    ]);
    const scanned = await agent
      .get('/ho-so')
      .query({ q: `http://localhost:3000/tra-cuu?ma=${first}&khoa=ABCDEFGH` });
    expect([scanned.status, scanned.headers.location]).toEqual([
      303,
      `/ho-so/${encodeURIComponent(first)}`,
    ]);
    const partial = await agent.get(`/ho-so?q=${first.slice(-11)}`);
    expect(partial.text).toContain('Nguyễn Văn An');
    expect(partial.text).not.toContain('Đặng Thị Đào');
    expect((await agent.get('/ho-so?q=100%25')).status).toBe(200);
    for (let i = 0; i < 20; i++) await receive();
    const page1 = await agent.get('/ho-so');
    expect(page1.text).toContain('rel="next"');
    const page2 = await agent.get('/ho-so?page=2');
    expect(page2.text).toContain('rel="prev"');
    expect((await agent.get('/ho-so?page=abc')).status).toBe(422);
  });

  it("shows today's board: received, due today, overdue, awaiting pick-up and supplement", async () => {
    const agent = await loginAs(t.app, 'canbo');
    const temporary = async () =>
      receive({ procedure_code: '1.004194', documents: await documentIds(t.ctx, '1.004194') });
    t.clock.set('2026-03-02T02:00:00Z'); // Mon 2 Mar; 3 WD → due Thu 5 Mar
    const overdue = await temporary();
    t.clock.set('2026-03-05T02:00:00Z'); // Thu 5 Mar; 3 WD → due Tue 10 Mar
    const dueToday = await temporary();
    const ready = await temporary();
    const waiting = await temporary();
    await act(agent, ready, 'mark_result_ready');
    await act(agent, waiting, 'request_supplement', {
      supplement_what: 'Hợp đồng thuê nhà',
      reason: 'Hợp đồng thiếu chữ ký bên cho thuê.',
    });
    t.clock.set('2026-03-10T02:00:00Z');
    const today = await receive();
    const board = await agent.get('/ho-so/hom-nay');
    expect(board.status).toBe(200);
    const section = (id: string) => board.text.split(`id="${id}"`)[1]!.split('<h2')[0]!;
    expect(section('qua-han')).toContain(overdue);
    expect(section('qua-han')).not.toContain(dueToday);
    expect(section('den-han')).toContain(dueToday);
    expect(section('cho-tra')).toContain(ready);
    expect(section('cho-bo-sung')).toContain(waiting);
    expect(section('nhan-hom-nay')).toContain(today);
    expect(board.text).toMatch(/<strong>1<\/strong> tiếp nhận hôm nay/);
    const json = await agent.get('/api/v1/board');
    expect(json.body.overdue.rows.map((d: { code: string }) => d.code)).toEqual([overdue]);
    expect(json.body.overdue.total).toBe(1);
  });
});
