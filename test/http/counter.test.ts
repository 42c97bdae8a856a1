import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake.service.js';
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
    const report = await supervisor.get('/bao-cao').query({ period: 'custom', from: '01/03/2026', to: '10/03/2026' });
    expect(report.status).toBe(200);
    expect(report.text).toContain('value="01/03/2026"');
    expect(report.text).not.toContain('type="date"');
    expect((await supervisor.get('/bao-cao').query({ period: 'custom', from: '31/02/2026', to: '10/03/2026' })).status).toBe(422);
    const audit = await supervisor.get('/quan-tri/nhat-ky').query({ from: '09/03/2026', to: '10/03/2026' });
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('value="09/03/2026"');

    const officer = await loginAs(t.app, 'canbo');
    const code = (await receiveDossier(t.ctx, await accountNamed(t.ctx, 'canbo'), await validIntake(t.ctx))).code!;
    t.clock.set('2026-03-19T03:00:00Z');
    const page = await officer.get(`/ho-so/${code}`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const moved = await officer.post(`/ho-so/${code}/hanh-dong/reschedule`).type('form').send({ _csrf: csrfFrom(page.text), version, new_due_date: '24/03/2026', reason: 'Chờ xác minh thông tin từ Công an tỉnh.' });
    expect(moved.status).toBe(303);
    expect((await t.ctx.db.selectFrom('dossiers').select('rescheduled_due_on').where('code', '=', code).executeTakeFirstOrThrow()).rescheduled_due_on).toBe('2026-03-24');

    const admin = await loginAs(t.app, 'quantri');
    const office = await admin.post('/quan-tri/don-vi').type('form').send({ _csrf: await csrfOf(admin, '/quan-tri/don-vi'), code: '000.14.13.H40', name: 'Công an xã Thử Ngày', short_name: 'CA Thử', valid_from: '01/07/2025' });
    expect(office.status).toBe(303);
    expect((await t.ctx.db.selectFrom('offices').select('valid_from').where('code', '=', '000.14.13.H40').executeTakeFirstOrThrow()).valid_from).toBe('2025-07-01');
    expect((await admin.get(office.headers.location!)).text).toContain('value="01/07/2025"');
  });
});

describe('one round of errors', () => {
  it('names sex, birth date and ID number problems together, on the intake URL, the first bad field focused', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get('/ho-so/moi?thu-tuc=2.000200');
    const res = await agent.post('/ho-so/moi').type('form').send({
      _csrf: csrfFrom(page.text), procedure_code: '2.000200', form_token: 'tok-round-0001', outcome: 'accept', documents: await documentIds(t.ctx, '2.000200'),
      applicant_name: 'Nguyễn Văn An', personal_id: '03509000123', birth_date: '31/02/1990', sex: '', address: 'Thôn 3',
    });
    expect(res.status).toBe(422);
    for (const field of ['personal_id', 'birth_date', 'sex']) expect(res.text).toContain(`id="${field}-error"`);
    expect(res.text).toMatch(/<input id="personal_id" name="personal_id" autofocus/);
    expect(res.text).toContain('action="/ho-so/moi"');
  });
});
