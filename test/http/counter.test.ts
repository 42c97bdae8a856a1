import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, documentIds, validIntake } from '../support/factories.js';
import { createTestApp, csrfFrom, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

// The counter as a new officer uses it (dates typed dd/mm/yyyy, one round of errors).
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
});
afterEach(() => t.close());

describe('dates typed dd/mm/yyyy whatever the browser', () => {
  it('reads a report range, an audit filter, an apology date and an office date typed dd/mm/yyyy', async () => {
    const supervisor = await loginAs(t.app, 'lanhdao');
    const report = await supervisor
      .get('/bao-cao')
      .query({ period: 'custom', from: '01/03/2026', to: '10/03/2026' });
    expect(report.status).toBe(200);
    expect(report.text).toContain('value="01/03/2026"');
    expect(report.text).not.toContain('type="date"');
    expect(
      (
        await supervisor
          .get('/bao-cao')
          .query({ period: 'custom', from: '31/02/2026', to: '10/03/2026' })
      ).status,
    ).toBe(422);
    const audit = await supervisor
      .get('/quan-tri/nhat-ky')
      .query({ from: '09/03/2026', to: '10/03/2026' });
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('value="09/03/2026"');

    const officer = await loginAs(t.app, 'canbo');
    const code = (
      await receiveDossier(t.ctx, await accountNamed(t.ctx, 'canbo'), await validIntake(t.ctx))
    ).code!;
    t.clock.set('2026-03-19T03:00:00Z');
    const page = await officer.get(`/ho-so/${code}`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const moved = await officer
      .post(`/ho-so/${code}/hanh-dong/reschedule`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version,
        new_due_date: '24/03/2026',
        reason: 'Chờ xác minh thông tin từ Công an tỉnh.',
      });
    expect(moved.status).toBe(303);
    expect(
      (
        await t.ctx.db
          .selectFrom('dossiers')
          .select('rescheduled_due_on')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).rescheduled_due_on,
    ).toBe('2026-03-24');

    const admin = await loginAs(t.app, 'quantri');
    const office = await admin
      .post('/quan-tri/don-vi')
      .type('form')
      .send({
        _csrf: await csrfOf(admin, '/quan-tri/don-vi'),
        code: '000.14.13.H40',
        name: 'Công an xã Thử Ngày',
        short_name: 'CA Thử',
        valid_from: '01/07/2025',
      });
    expect(office.status).toBe(303);
    expect(
      (
        await t.ctx.db
          .selectFrom('offices')
          .select('valid_from')
          .where('code', '=', '000.14.13.H40')
          .executeTakeFirstOrThrow()
      ).valid_from,
    ).toBe('2025-07-01');
    expect((await admin.get(office.headers.location!)).text).toContain('value="01/07/2025"');
  });
});

describe('one round of errors', () => {
  it('names sex, birth date and ID number problems together, on the intake URL, the first bad field focused', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get('/ho-so/moi?thu-tuc=2.000200');
    const res = await agent
      .post('/ho-so/moi')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        procedure_code: '2.000200',
        form_token: 'tok-round-0001',
        outcome: 'accept',
        documents: await documentIds(t.ctx, '2.000200'),
        applicant_name: 'Nguyễn Văn An',
        personal_id: '03509000123',
        birth_date: '31/02/1990',
        sex: '',
        address: 'Thôn 3',
      });
    expect(res.status).toBe(422);
    for (const field of ['personal_id', 'birth_date', 'sex'])
      expect(res.text).toContain(`id="${field}-error"`);
    expect(res.text).toMatch(/<input id="personal_id" name="personal_id" autofocus/);
    expect(res.text).toContain('action="/ho-so/moi"');
  });
});

describe('returning the result', () => {
  it('records who took it (an authorised person with ID and paper), prints the pickup slip, and offers no receipt reprint after', async () => {
    const officer = await accountNamed(t.ctx, 'canbo');
    const code = (await receiveDossier(t.ctx, officer, await validIntake(t.ctx))).code!;
    const agent = await loginAs(t.app, 'canbo');
    const act = async (action: string, fields: Record<string, string>) => {
      const page = await agent.get(`/ho-so/${code}`);
      const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
      return agent
        .post(`/ho-so/${code}/hanh-dong/${action}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), version, ...fields });
    };
    expect((await act('mark_result_ready', {})).status).toBe(303);
    const bad = await act('return_result', {
      returned_by: 'authorised',
      proxy_name: 'Lê Văn Bảo',
      proxy_personal_id: '123',
      proxy_paper: '',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('người được ủy quyền');
    expect(bad.text).toContain('value="Lê Văn Bảo"');
    const ok = await act('return_result', {
      returned_by: 'authorised',
      proxy_name: 'Lê Văn Bảo',
      proxy_personal_id: '035085001111',
      proxy_paper: 'Giấy ủy quyền số 12/2026',
    });
    expect(ok.status).toBe(303);
    const page = await agent.get(`/ho-so/${code}`);
    expect(page.text).not.toContain('/phieu/receipt"');
    expect(page.text).toContain('Biên nhận trả kết quả');
    const slip = await agent.get(`/ho-so/${code}/phieu/return`);
    expect(slip.status).toBe(200);
    expect(slip.text).toContain(
      'người được ủy quyền, số định danh/CMND 035085001111, theo giấy ủy quyền: Giấy ủy quyền số 12/2026',
    );
    expect(slip.text).toContain('NGƯỜI NHẬN KẾT QUẢ');
    expect((await agent.get(`/ho-so/${code}/phieu/receipt`)).status).toBe(404);
  });
});

describe('a date that moved is never stale', () => {
  it('says so on the dossier page with the new receipt at hand, and the citizen page never shows a past date while waiting', async () => {
    const officer = await accountNamed(t.ctx, 'canbo');
    const result = await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
    const code = result.code!;
    const agent = await loginAs(t.app, 'canbo');
    const act = async (action: string, fields: Record<string, string> = {}) => {
      const page = await agent.get(`/ho-so/${code}`);
      const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
      return agent
        .post(`/ho-so/${code}/hanh-dong/${action}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), version, ...fields });
    };
    await act('request_supplement', {
      supplement_what: 'Ảnh chân dung mới',
      reason: 'Ảnh cũ không đạt chuẩn chụp.',
    });
    const { default: request } = await import('supertest');
    const waiting = await request(t.app)
      .get('/tra-cuu')
      .query({ ma: code, khoa: result.lookupKey });
    expect(waiting.text).toContain('Sẽ tính lại khi Ông/Bà nộp đủ giấy tờ bổ sung');
    expect(waiting.text).toContain('Ảnh chân dung mới');
    expect(waiting.text).not.toContain('19/03/2026');

    t.clock.set('2026-03-20T02:00:00Z'); // the papers come after the first appointment
    expect((await act('receive_supplement')).status).toBe(303);
    const page = await agent.get(`/ho-so/${code}`);
    expect(page.text).toContain('Ngày hẹn đã thay đổi');
    expect(page.text).toContain('In giấy hẹn mới');
    const { due_on } = await t.ctx.db
      .selectFrom('dossiers')
      .select('due_on')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    const reprint = await agent
      .post(`/ho-so/${code}/phieu/receipt`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(reprint.status).toBe(303);
    expect((await agent.get(`/ho-so/${code}`)).text).not.toContain('Ngày hẹn đã thay đổi');
    const key = /class="key">([^<]+)</.exec((await agent.get(reprint.headers.location!)).text)![1]!;
    const citizen = await request(t.app).get('/tra-cuu').query({ ma: code, khoa: key });
    const [y, m, d] = due_on!.split('-');
    expect(citizen.text).toContain(`${d}/${m}/${y}`);
  });
});
