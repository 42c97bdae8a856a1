import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

let t: TestApp;
afterEach(() => t?.close());

const PROVISIONAL = 'lịch nghỉ dự kiến';
const intake = async () =>
  receiveDossier(t.ctx, await accountNamed(t.ctx, 'canbo'), await validIntake(t.ctx));

describe('due dates across a year without an official schedule', () => {
  it('counts the projected 1/1/2027 and says "dự kiến" on the receipt, the dossier page and the citizen page', async () => {
    t = await createTestApp({ now: '2026-12-24T02:00:00Z' }); // Thursday 09:00
    const result = await intake();
    // 25, 28, 29, 30, 31/12, (Fri 1/1/2027 Tết Dương lịch, projected), 4, 5/1: the 7th working day.
    expect(result.dossier!.due_on).toBe('2027-01-05');
    expect(JSON.parse(result.dossier!.due_explanation!).provisional).toBe(true);
    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get(`/ho-so/${result.code}`)).text).toContain(PROVISIONAL);
    expect((await officer.get(`/ho-so/${result.code}/phieu/receipt`)).text).toContain(PROVISIONAL);
    const citizen = await request(t.app)
      .get('/tra-cuu')
      .query({ ma: result.code, khoa: result.lookupKey });
    expect(citizen.text).toContain(PROVISIONAL);
  });

  it('is not marked inside an official year', async () => {
    t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
    const result = await intake();
    expect(JSON.parse(result.dossier!.due_explanation!).provisional).toBeUndefined();
    expect((await (await loginAs(t.app, 'canbo')).get(`/ho-so/${result.code}`)).text).not.toContain(
      PROVISIONAL,
    );
  });

  it('changes later computations once the official schedule is confirmed, never a date already promised', async () => {
    t = await createTestApp({ now: '2026-12-24T02:00:00Z' });
    const promised = await intake();
    const admin = await loginAs(t.app, 'quantri');
    // The Government gives Monday 4/1/2027 off as well; the administrator enters it and confirms.
    const added = await admin
      .post('/quan-tri/lich')
      .type('form')
      .send({
        _csrf: await csrfOf(admin, '/quan-tri/lich?nam=2027'),
        day: '2027-01-04',
        kind: 'holiday',
        name: 'Tết Dương lịch (nghỉ thêm)',
      });
    expect(added.status).toBe(303);
    const page = await admin.get('/quan-tri/lich?nam=2027');
    expect(page.text).toContain('Lịch dự kiến (đang chỉnh, chưa xác nhận)');
    const confirmed = await admin
      .post('/quan-tri/lich/nam/2027/xac-nhan')
      .type('form')
      .send({ _csrf: await csrfOf(admin, '/quan-tri/lich?nam=2027') });
    expect(confirmed.status).toBe(303);
    expect((await admin.get('/quan-tri/lich?nam=2027')).text).toContain(
      'Lịch chính thức đã xác nhận.',
    );

    const later = await intake();
    expect(later.dossier!.due_on).toBe('2027-01-06');
    expect(JSON.parse(later.dossier!.due_explanation!).provisional).toBeUndefined();
    const before = await t.ctx.db
      .selectFrom('dossiers')
      .select(['due_on', 'due_explanation'])
      .where('code', '=', promised.code!)
      .executeTakeFirstOrThrow();
    expect(before.due_on).toBe('2027-01-05');
    expect(JSON.parse(before.due_explanation!).provisional).toBe(true);
    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'calendar%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['calendar_day.added', 'calendar_year.confirmed']);
  });

  it('switches the pending 24/11 holiday on for projected years', async () => {
    t = await createTestApp({ now: '2026-12-24T02:00:00Z' });
    const admin = await loginAs(t.app, 'quantri');
    const before = await admin.get('/api/v1/calendar/2027');
    expect(before.body.days.map((d: { day: string }) => d.day)).not.toContain('2027-11-24');
    expect(
      (
        await admin
          .post('/quan-tri/lich/ngay-van-hoa')
          .type('form')
          .send({ _csrf: await csrfOf(admin, '/quan-tri/lich'), enabled: '1' })
      ).status,
    ).toBe(303);
    const after = await admin.get('/api/v1/calendar/2027');
    expect(after.body.days).toContainEqual({
      day: '2027-11-24',
      kind: 'holiday',
      name: 'Ngày Văn hóa Việt Nam 24/11',
      provisional: true,
    });
  });
});

describe('the October banner', () => {
  const banner = 'Lịch nghỉ lễ chính thức năm 2027 chưa được xác nhận';
  it('shows administrators and supervisors, from 1 October, that next year is not confirmed, until it is', async () => {
    t = await createTestApp({ now: '2026-09-30T03:00:00Z' });
    expect((await (await loginAs(t.app, 'quantri')).get('/ho-so/hom-nay')).text).not.toContain(
      banner,
    );
    t.clock.advanceMinutes(24 * 60);
    const admin = await loginAs(t.app, 'quantri');
    expect((await admin.get('/ho-so/hom-nay')).text).toContain(banner);
    expect((await (await loginAs(t.app, 'lanhdao')).get('/bao-cao')).text).toContain(banner);
    expect((await (await loginAs(t.app, 'canbo')).get('/ho-so/hom-nay')).text).not.toContain(
      banner,
    );
    await admin
      .post('/quan-tri/lich/nam/2027/xac-nhan')
      .type('form')
      .send({ _csrf: await csrfOf(admin, '/quan-tri/lich?nam=2027') });
    expect((await admin.get('/ho-so/hom-nay')).text).not.toContain(banner);
  });
});

describe('GET /api/v1/calendar/:year', () => {
  it('lists days off and make-up days with their names and whether they are provisional', async () => {
    t = await createTestApp();
    const token = await issueApiToken(
      t.ctx,
      (await accountNamed(t.ctx, 'canbo')).id,
      'calendar',
      null,
    );
    const get = (year: string) =>
      request(t.app).get(`/api/v1/calendar/${year}`).set('authorization', `Bearer ${token}`);
    const official = await get('2026');
    expect(official.status).toBe(200);
    expect(official.body.status).toBe('official');
    expect(official.body.days).toContainEqual({
      day: '2026-01-10',
      kind: 'make_up_workday',
      name: 'Làm bù cho ngày nghỉ 02/01/2026',
      provisional: false,
    });
    const projected = await get('2027');
    expect(projected.body.status).toBe('projected');
    expect(projected.body.days).toContainEqual({
      day: '2027-02-06',
      kind: 'holiday',
      name: 'Tết Nguyên đán',
      provisional: true,
    });
    const seeded = await get('2023');
    expect(seeded.body.status).toBe('provisional');
    expect((await get('1800')).status).toBe(404);
    expect((await get('abc')).status).toBe(404);
    expect((await request(t.app).get('/api/v1/calendar/2026')).status).toBe(401);
  });
});

describe('importing history', () => {
  it('lists the rows whose appointment was computed with provisional days, and how many', async () => {
    t = await createTestApp({ now: '2026-03-20T02:00:00Z' });
    const admin = await loginAs(t.app, 'quantri');
    const office = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const csv =
      '\uFEFFSTT,Mã hồ sơ,Mã thủ tục,Tên thủ tục,Người nộp,Số định danh,Điện thoại,Địa chỉ,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả,Trạng thái,Kết quả,Ghi chú\r\n' +
      '1,,2.000200,Cấp thẻ căn cước,Nguyễn Văn An,035090001234,0912345678,Thôn 3,19/01/2023 08:00,,,,Đang giải quyết,,\r\n' +
      '2,,2.000200,Cấp thẻ căn cước,Lê Thị Bình,035190004321,0912345679,Thôn 4,20/03/2023 08:00,27/03/2023,,,Đang giải quyết,,\r\n' +
      '3,,2.000200,Cấp thẻ căn cước,Trần Văn Cường,035090004444,0912345670,Thôn 5,02/03/2026 08:00,,,,Đang giải quyết,,\r\n';
    const checked = await admin
      .post('/quan-tri/nhap-so/kiem-tra')
      .field('_csrf', await csrfOf(admin))
      .field('office_id', String(office.id))
      .attach('file', Buffer.from(csv), 'so-2023.csv');
    expect(checked.status).toBe(200);
    expect(checked.text).toContain(
      '1 dòng không ghi ngày hẹn: ngày hẹn được tính theo lịch nghỉ dự kiến',
    );
    expect(checked.text).toMatch(/Các dòng: 2\./);
  });
});
