import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed } from '../support/factories.js';
import { PAYMENT_ENV, receiveFeeDossier } from '../support/payments.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

/** The administrator's fee rules (issue 33, "the procedure's fee rules as data"). */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z', env: PAYMENT_ENV });
});
afterEach(() => t.close());

const rules = () => t.ctx.db.selectFrom('fee_rules').selectAll().orderBy('id').execute();
const STUDENT = {
  procedure_code: '1.004222',
  category: 'student',
  channel: '',
  amount_vnd: '5000',
  label: 'Học sinh, sinh viên: mức thu giảm',
  legal_basis: 'Nghị quyết HĐND tỉnh (minh họa)',
};

async function post(agent: Awaited<ReturnType<typeof loginAs>>, path: string, body: object) {
  const page = await agent.get('/quan-tri/le-phi');
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...body });
}

describe('fee rules administration', { timeout: 60_000 }, () => {
  it('lists the seeded rules, adds one that a payer category then gets, and switches it off', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const page = await admin.get('/quan-tri/le-phi');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cấp thẻ căn cước lần đầu: miễn lệ phí');
    expect((await admin.get('/quan-tri')).text).toContain('href="/quan-tri/le-phi"');
    const before = (await rules()).length;

    const added = await post(admin, '/quan-tri/le-phi', STUDENT);
    expect(added.status).toBe(303);
    const rule = (await rules()).at(-1)!;
    expect(rule).toMatchObject({
      code: '1.004222-all-student',
      category: 'student',
      channel: null,
      amount_vnd: 5000,
      active: 1,
    });
    expect((await rules()).length).toBe(before + 1);
    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'subject'])
      .where('action', 'like', 'fee_rule.%')
      .execute();
    expect(audit).toEqual([{ action: 'fee_rule.created', subject: '1.004222-all-student' }]);

    // The counter now offers the category, and it lowers what is due.
    const code = await receiveFeeDossier(t.ctx);
    const token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 't', null);
    const officer = await loginAs(t.app, 'canbo');
    const fee = await officer.get(`/ho-so/${code}/thu-phi`);
    expect(fee.text).toContain('Học sinh, sinh viên: mức thu giảm');
    const set = await officer
      .post(`/ho-so/${code}/thu-phi/so-tien`)
      .type('form')
      .send({ _csrf: csrfFrom(fee.text), version: '0', category: 'student' });
    expect(set.status).toBe(303);
    const payment = await request(t.app)
      .get(`/api/v1/dossiers/${code}/payment`)
      .set('authorization', `Bearer ${token}`);
    expect(payment.body.payment.amount_due).toBe(5000);

    // Switched off: no longer offered; switched on again.
    expect((await post(admin, `/quan-tri/le-phi/${rule.id}/ap-dung`, { active: '0' })).status).toBe(
      303,
    );
    expect((await rules()).at(-1)!.active).toBe(0);
    const other = await receiveFeeDossier(t.ctx, { personal_id: '035090009999' });
    expect((await officer.get(`/ho-so/${other}/thu-phi`)).text).not.toContain(
      'Học sinh, sinh viên: mức thu giảm',
    );
    await post(admin, `/quan-tri/le-phi/${rule.id}/ap-dung`, { active: '1' });
    expect((await rules()).at(-1)!.active).toBe(1);
  });

  it('refuses bad input with the values kept and saves nothing; only administrators', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const before = await rules();
    const cases: [Record<string, string>, string][] = [
      [{ ...STUDENT, procedure_code: '9.999999' }, 'procedure_code'],
      [{ ...STUDENT, amount_vnd: '-1' }, 'amount_vnd'],
      [{ ...STUDENT, amount_vnd: 'năm nghìn' }, 'amount_vnd'],
      [{ ...STUDENT, category: 'Học sinh' }, 'category'],
      [{ ...STUDENT, channel: 'fax' }, 'channel'],
      [{ ...STUDENT, label: '' }, 'label'],
      [{ ...STUDENT, category: '', channel: '' }, 'category'],
      [{ ...STUDENT, category: '', channel: 'online' }, 'category'], // the seeded online rate
    ];
    for (const [body, fieldName] of cases) {
      const res = await post(admin, '/quan-tri/le-phi', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.text).toContain(`id="${fieldName}-error"`);
      expect(res.text).toContain('Chưa thêm được quy định');
    }
    const kept = await post(admin, '/quan-tri/le-phi', { ...STUDENT, amount_vnd: '-1' });
    expect(kept.text).toContain('Học sinh, sinh viên: mức thu giảm');
    expect(await rules()).toEqual(before);

    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get('/quan-tri/le-phi')).status).toBe(403);
    const boss = await loginAs(t.app, 'lanhdao');
    expect((await post(boss, '/quan-tri/le-phi', STUDENT)).status).toBe(403);
    expect((await post(admin, '/quan-tri/le-phi/999999/ap-dung', { active: '0' })).status).toBe(
      404,
    );
    expect(await rules()).toEqual(before);
  });
});
