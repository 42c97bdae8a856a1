import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { verifyChains } from '../../src/audit/hash-chain.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, createOfficerAt, documentIds, validIntake } from '../support/factories.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

/**
 * Issue 28, item 1: correcting a wrong intake. Received as "Khai báo tạm vắng" (1 working day)
 * when the citizen asked for "Đăng ký tạm trú" (3 working days), the receiving officer corrects it
 * the same day: the date is recomputed from the moment of receipt, the old receipt's lookup key
 * stops working, the new receipt prints the new one, the event holds each change, and the
 * tracking book says so. Outside the day, after the handover or for another officer: refused,
 * nothing saved.
 */
let t: TestApp;
type Agent = Awaited<ReturnType<typeof loginAs>>;

const WRONG = '1.003677'; // Khai báo tạm vắng, 1 working day
const RIGHT = '1.004194'; // Đăng ký tạm trú, 3 working days

beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' }); // Tue 10 Mar 2026, 09:00 local
});
afterEach(() => t.close());

async function receiveWrong(over: Record<string, unknown> = {}) {
  const result = await receiveDossier(
    t.ctx,
    await accountNamed(t.ctx, 'canbo'),
    await validIntake(t.ctx, {
      procedure_code: WRONG,
      documents: await documentIds(t.ctx, WRONG),
      ...over,
    }),
  );
  return { code: result.code!, key: result.lookupKey! };
}

const dossier = (code: string) =>
  t.ctx.db.selectFrom('dossiers').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
const eventsOf = async (code: string) =>
  t.ctx.db
    .selectFrom('dossier_events')
    .selectAll()
    .where('dossier_id', '=', (await dossier(code)).id)
    .orderBy('id')
    .execute();
const papersOf = async (code: string) =>
  t.ctx.db
    .selectFrom('dossier_documents')
    .select(['name', 'received'])
    .where('dossier_id', '=', (await dossier(code)).id)
    .orderBy('position')
    .execute();
const lookup = (code: string, key: string) =>
  request(t.app).get('/tra-cuu').query({ ma: code, khoa: key });

/** The correction form's fields as the page would post them (right procedure, its papers). */
async function correctionFields(code: string, over: Record<string, unknown> = {}) {
  return {
    version: String((await dossier(code)).version),
    step: 'save',
    procedure_code: RIGHT,
    shown_procedure: RIGHT,
    documents: await documentIds(t.ctx, RIGHT),
    applicant_name: 'Nguyễn Văn An',
    personal_id: '035090001234',
    birth_date: '01/05/1990',
    sex: 'male',
    phone: '0912345678',
    email: '',
    address: 'Thôn 3, xã Hòa Hậu, Lý Nhân, Hà Nam',
    reason: 'Chọn nhầm thủ tục khai báo tạm vắng khi tiếp nhận.',
    ...over,
  };
}

async function postCorrection(agent: Agent, code: string, over: Record<string, unknown> = {}) {
  const page = await agent.get(`/ho-so/${code}`);
  return agent
    .post(`/ho-so/${code}/sua-tiep-nhan`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...(await correctionFields(code, over)) });
}

/** Nothing was saved: the row, its papers and its events are as they were. */
async function expectUnchanged(code: string, before: Awaited<ReturnType<typeof snapshot>>) {
  expect(await snapshot(code)).toEqual(before);
}
async function snapshot(code: string) {
  return { row: await dossier(code), papers: await papersOf(code), events: await eventsOf(code) };
}

describe('correcting a wrong intake through the pages', () => {
  it('recomputes the date from another procedure, reissues the key, records the event and marks the book', async () => {
    const { code, key: oldKey } = await receiveWrong();
    expect((await dossier(code)).due_on).toBe('2026-03-11');
    const agent = await loginAs(t.app, 'canbo');

    // The dossier page offers the correction; its page is pre-filled with the dossier.
    const show = await agent.get(`/ho-so/${code}`);
    expect(show.text).toContain(`href="/ho-so/${code}/sua-tiep-nhan"`);
    const form = await agent.get(`/ho-so/${code}/sua-tiep-nhan`);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`<option value="${WRONG}" selected>`);
    expect(form.text).toContain('value="Nguyễn Văn An"');
    expect(form.text).toContain('Đề nghị khai báo tạm vắng');

    // "Đổi thủ tục": the new checklist and the date it gives, nothing saved.
    t.clock.set('2026-03-10T04:30:00Z'); // 11:30 local: the date still counts from 09:00
    const switched = await agent
      .post(`/ho-so/${code}/sua-tiep-nhan`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        step: 'procedure',
        procedure_code: RIGHT,
        shown_procedure: WRONG,
        applicant_name: 'Nguyễn Văn An',
      });
    expect(switched.status).toBe(200);
    expect(switched.text).toContain('Giấy tờ chứng minh chỗ ở hợp pháp');
    expect(switched.text).toContain('Thứ Sáu, 13/03/2026 (3 ngày làm việc');
    expect((await dossier(code)).procedure_code).toBe(WRONG);

    const saved = await postCorrection(agent, code, { birth_date: '02/05/1990' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/ho-so/${code}/phieu/receipt`);

    const row = await dossier(code);
    expect(row).toMatchObject({
      procedure_code: RIGHT,
      procedure_name: 'Đăng ký tạm trú',
      report_group: 'tam_tru',
      processing_days: 3,
      fee_vnd: 15000,
      due_on: '2026-03-13',
      birth_date: '1990-05-02',
      status: 'received',
      intake_corrected_at: '2026-03-10T04:30:00.000Z',
    });
    expect(JSON.parse(row.due_explanation!)).toMatchObject({
      basis: 'intake_corrected',
      receivedOn: '2026-03-10',
      processingDays: 3,
      correctedFrom: { dueOn: '2026-03-11', procedureName: 'Khai báo tạm vắng', processingDays: 1 },
    });
    expect((await papersOf(code)).map((p) => p.name)).toContain(
      'Giấy tờ chứng minh chỗ ở hợp pháp (hợp đồng thuê, mượn không cần công chứng)',
    );

    // One event, in the dossier's hash chain, with each change before and after and the reason.
    const events = await eventsOf(code);
    const corrected = events.at(-1)!;
    expect(corrected).toMatchObject({
      action: 'correct_intake',
      from_status: 'received',
      to_status: 'received',
      note: 'Chọn nhầm thủ tục khai báo tạm vắng khi tiếp nhận.',
    });
    const details = JSON.parse(corrected.details) as {
      changes: { field: string; before: string | null; after: string | null }[];
      dueOnBefore: string;
      dueOnAfter: string;
    };
    expect(details.changes).toEqual(
      expect.arrayContaining([
        {
          field: 'procedure',
          before: `Khai báo tạm vắng (${WRONG})`,
          after: `Đăng ký tạm trú (${RIGHT})`,
        },
        { field: 'birth_date', before: '1990-05-01', after: '1990-05-02' },
        { field: 'due_on', before: '2026-03-11', after: '2026-03-13' },
      ]),
    );
    expect(details.changes.map((c) => c.field)).toContain('documents');
    expect((await verifyChains(t.ctx.db)).broken).toEqual([]);

    // The new receipt: the new procedure and date, why, the reprint mark and the new key.
    const receipt = await agent.get(saved.headers.location!);
    expect(receipt.text).toContain('Đăng ký tạm trú');
    expect(receipt.text).toContain('Bản in lại sau điều chỉnh hồ sơ lúc 11:30 10/03/2026');
    expect(receipt.text).toContain('Ngày hẹn trả đổi từ 11/03/2026 sang 13/03/2026');
    const newKey = /khoa=([2-9A-HJKMNP-Z]{8})/.exec(receipt.text)?.[1];
    expect(newKey).toBeTruthy();
    expect(newKey).not.toBe(oldKey);
    const stale = await lookup(code, oldKey);
    expect(stale.status).toBe(404);
    // Whoever holds the old slip learns that a reprinted slip replaces its key.
    expect(stale.text).toContain('chỉ mã tra cứu trên giấy mới còn dùng được');
    const found = await lookup(code, newKey!);
    expect(found.status).toBe(200);
    expect(found.text).toContain('Đăng ký tạm trú');

    // The page shows the correction and its changes; the action is still offered the same day.
    const after = await agent.get(`/ho-so/${code}`);
    expect(after.text).toContain('data-corrected');
    expect(after.text).toContain('data-change="procedure"');

    // The tracking book says the intake was corrected (CSV and the printable Mẫu 07).
    const lead = await loginAs(t.app, 'lanhdao');
    const csv = await lead.get(
      '/bao-cao/xuat/so-theo-doi.csv?period=custom&from=2026-03-10&to=2026-03-10',
    );
    const rows: string[][] = parse(csv.text, { bom: true, relax_column_count: true });
    const line = rows.find((r) => r[1] === code)!;
    expect(line[3]).toBe('Đăng ký tạm trú');
    expect(line[19]).toBe('Đã sửa hồ sơ tiếp nhận lúc 11:30 10/03/2026');
    const book = await lead.get('/bao-cao/so-theo-doi?period=custom&from=2026-03-10&to=2026-03-10');
    expect(book.text).toContain('Đã sửa hồ sơ tiếp nhận lúc 11:30 10/03/2026');
  });

  it('lets a supervisor of the office correct it; refuses another officer (403), nothing saved', async () => {
    const { code } = await receiveWrong();
    await createOfficerAt(t.ctx, '000.00.13.H40', 'canbo2');
    const other = await loginAs(t.app, 'canbo2');
    const before = await snapshot(code);
    expect((await other.get(`/ho-so/${code}`)).text).not.toContain('sua-tiep-nhan');
    const page = await other.get(`/ho-so/${code}/sua-tiep-nhan`);
    expect(page.status).toBe(403);
    expect(page.text).toContain('Chỉ cán bộ đã tiếp nhận hồ sơ hoặc lãnh đạo của đơn vị');
    expect((await postCorrection(other, code)).status).toBe(403);
    await expectUnchanged(code, before);

    const lead = await loginAs(t.app, 'lanhdao');
    expect((await postCorrection(lead, code)).status).toBe(303);
    expect((await dossier(code)).procedure_code).toBe(RIGHT);
  });

  it('refuses a missing reason and a bad field with 422, keeping what was typed, saving nothing', async () => {
    const { code } = await receiveWrong();
    const agent = await loginAs(t.app, 'canbo');
    const before = await snapshot(code);

    const noReason = await postCorrection(agent, code, {
      reason: ' ',
      applicant_name: 'Nguyễn Văn Anh',
    });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Nhập lý do sửa (ít nhất 10 ký tự).');
    expect(noReason.text).toContain('value="Nguyễn Văn Anh"');
    await expectUnchanged(code, before);

    const badDate = await postCorrection(agent, code, { birth_date: '31/02/1990' });
    expect(badDate.status).toBe(422);
    expect(badDate.text).toMatch(/id="birth_date"[^>]*aria-invalid="true"/);
    expect(badDate.text).toContain('value="31/02/1990"');
    expect(badDate.text).toContain('Chọn nhầm thủ tục khai báo tạm vắng khi tiếp nhận.');
    await expectUnchanged(code, before);

    // Whatever is sent, never a 5xx: lists where text is expected, text where a list is.
    const odd = await postCorrection(agent, code, {
      applicant_name: ['a', 'b'],
      version: ['1', '2'],
      documents: 'not-a-number',
    });
    expect(odd.status).toBe(422);
    await expectUnchanged(code, before);

    const nothing = await postCorrection(agent, code, {
      procedure_code: WRONG,
      shown_procedure: WRONG,
      documents: await documentIds(t.ctx, WRONG),
    });
    expect(nothing.status).toBe(422);
    expect(nothing.text).toContain('Không có thông tin nào thay đổi');
    await expectUnchanged(code, before);
  });

  it('refuses the next day (409) and is no longer offered, nothing saved', async () => {
    const { code } = await receiveWrong();
    const agent = await loginAs(t.app, 'canbo');
    const form = await agent.get(`/ho-so/${code}`);
    const before = await snapshot(code);
    t.clock.set('2026-03-10T17:01:00Z'); // 00:01 on Wed 11 Mar in Vietnam, still 10 Mar in UTC
    expect((await agent.get(`/ho-so/${code}`)).text).not.toContain('sua-tiep-nhan');
    const page = await agent.get(`/ho-so/${code}/sua-tiep-nhan`);
    expect(page.status).toBe(409);
    expect(page.text).toContain('Đã qua ngày tiếp nhận');
    const late = await agent
      .post(`/ho-so/${code}/sua-tiep-nhan`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), ...(await correctionFields(code)) });
    expect(late.status).toBe(409);
    expect(late.text).toContain('Đã qua ngày tiếp nhận');
    await expectUnchanged(code, before);
  });

  it('refuses after the handover (409), nothing saved', async () => {
    const { code } = await receiveWrong();
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get(`/ho-so/${code}`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const handed = await agent
      .post(`/ho-so/${code}/hanh-dong/hand_over`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, note: '' });
    expect(handed.status).toBe(303);
    const before = await snapshot(code);
    expect((await agent.get(`/ho-so/${code}`)).text).not.toContain('sua-tiep-nhan');
    const refused = await postCorrection(agent, code);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Hồ sơ đã chuyển');
    await expectUnchanged(code, before);
  });
});

describe('correcting a wrong intake through the API', () => {
  it('answers with the new key and the changes; refuses bad input with field errors', async () => {
    const { code, key: oldKey } = await receiveWrong({ notify: ['sms'] });
    const token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'k', null);
    const post = (body: object) =>
      request(t.app)
        .post(`/api/v1/dossiers/${code}/actions/correct_intake`)
        .set('authorization', `Bearer ${token}`)
        .send(body);
    const shown = await request(t.app)
      .get(`/api/v1/dossiers/${code}`)
      .set('authorization', `Bearer ${token}`);
    expect(shown.body.allowed_actions).toContain('correct_intake');

    const { step: _s, shown_procedure: _p, ...fields } = await correctionFields(code);
    const bad = await post({ ...fields, reason: 'ngắn', documents: ['99999'] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toMatchObject({
      reason: expect.any(String),
      documents: expect.any(String),
    });
    const odd = await post({ ...fields, documents: { x: 1 }, sex: 5, reason: null });
    expect(odd.status).toBe(422);
    expect(odd.body.error.fields).toHaveProperty('documents');
    expect((await dossier(code)).procedure_code).toBe(WRONG);

    const ok = await post(fields);
    expect(ok.status).toBe(200);
    expect(ok.body.dossier).toMatchObject({ due_on: '2026-03-13', version: 2 });
    expect(ok.body.dossier.procedure.code).toBe(RIGHT);
    expect(ok.body.lookup_key).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(ok.body.changes.map((c: { field: string }) => c.field)).toContain('procedure');
    expect((await lookup(code, oldKey)).status).toBe(404);
    expect((await lookup(code, ok.body.lookup_key)).status).toBe(200);
    // The citizen's receipt message goes again, with the new procedure and key; the reminder
    // follows the new date.
    const messages = await t.ctx.db
      .selectFrom('notifications')
      .select(['kind', 'body', 'state', 'next_attempt_at'])
      .where('dossier_id', '=', ok.body.dossier.id)
      .orderBy('id')
      .execute();
    const receipts = messages.filter((m) => m.kind === 'receipt');
    expect(receipts).toHaveLength(2);
    // The first, not sent yet, carried the key that no longer works: it is not sent.
    expect(receipts.map((m) => m.state)).toEqual(['cancelled', 'queued']);
    expect(receipts[1]!.body).toContain('Đăng ký tạm trú');
    expect(receipts[1]!.body).toContain(ok.body.lookup_key);
    const reminders = messages.filter((m) => m.kind === 'reminder' && m.state === 'queued');
    expect(reminders.map((m) => m.next_attempt_at)).toEqual(['2026-03-12T01:00:00.000Z']);
    // The same version again: stale.
    expect((await post(fields)).status).toBe(409);
  });
});
