import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, createOfficerAt, validIntake } from '../support/factories.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

let t: TestApp;
let token: string;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' }); // Tue 10 Mar 2026, 09:00 local
  token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'test', null);
});
afterEach(() => t.close());

const receive = async (overrides: Record<string, unknown> = {}, who = 'canbo') =>
  receiveDossier(t.ctx, await accountNamed(t.ctx, who), await validIntake(t.ctx, overrides));
async function act(code: string, action: string, body: Record<string, string> = {}) {
  const { version } = await t.ctx.db
    .selectFrom('dossiers')
    .select('version')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  const res = await request(t.app)
    .post(`/api/v1/dossiers/${code}/actions/${action}`)
    .set('authorization', `Bearer ${token}`)
    .send({ version: String(version), ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the forms of TT 03/2025', () => {
  it('01 receipt: motto, parent agency above the office, place and date, times as forms write them, e-mail, tracking-book reference, return channel, fee, two copies', async () => {
    await receive();
    const second = await receive({ email: 'An.Nguyen@Example.vn', return_channel: 'post' });
    const agent = await loginAs(t.app, 'canbo');
    const page = text((await agent.get(`/ho-so/${second.code}/phieu/receipt`)).text);
    for (const part of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'CÔNG AN TỈNH NINH BÌNH',
      'PHÒNG CẢNH SÁT QLHC VỀ TTXH',
      'Hoa Lư, ngày 10 tháng 3 năm 2026',
      'Mẫu số 01',
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      '09 giờ 00 phút, ngày 10 tháng 3 năm 2026',
      'an.nguyen@example.vn',
      'quyển số 01/2026, số thứ tự 2',
      'Qua dịch vụ bưu chính công ích',
      'Lệ phí',
    ])
      expect(page, part).toContain(part);
    expect(page).not.toContain('PHÒNG CẢNH SÁT QLHC VỀ TTXH – CÔNG AN TỈNH NINH BÌNH');
    const both = text((await agent.get(`/ho-so/${second.code}/phieu/receipt?lien=2`)).text);
    expect(both).toContain('Liên 1: giao người nộp hồ sơ');
    expect(both).toContain('Liên 2: lưu cùng hồ sơ');
    const stored = await t.ctx.db
      .selectFrom('dossiers')
      .select(['email', 'return_channel', 'receiving_channel', 'fee_vnd'])
      .where('code', '=', second.code)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      email: 'an.nguyen@example.vn',
      return_channel: 'post',
      receiving_channel: 'counter',
    });
  });

  it('refuses a bad e-mail or channel at intake with field errors', async () => {
    await expect(
      receive({ email: 'khong-phai-email', return_channel: 'bay' }),
    ).rejects.toMatchObject({
      fields: { email: expect.stringMatching(/thư điện tử/i), return_channel: expect.any(String) },
    });
  });

  it('02 and 03 are numbered from the office register, not database ids; 03 names its legal basis and the right signer', async () => {
    const a = (await receive()).code!;
    const b = (await receive()).code!;
    await act(a, 'request_supplement', {
      supplement_what: 'Ảnh chân dung',
      reason: 'Ảnh không đạt chuẩn chụp.',
    });
    await act(b, 'request_supplement', {
      supplement_what: 'Bản sao giấy khai sinh',
      reason: 'Thông tin ngày sinh chưa khớp.',
    });
    // A commune's register starts at 1 of its own.
    await createOfficerAt(t.ctx, '000.11.13.H40', 'xa1');
    const guided = await receive({ outcome: 'guide', documents: [] }, 'xa1');
    const agent = await loginAs(t.app, 'canbo');
    expect(text((await agent.get(`/ho-so/${a}/phieu/supplement`)).text)).toContain('Số: 01/HDHS');
    const second = text((await agent.get(`/ho-so/${b}/phieu/supplement`)).text);
    expect(second).toContain('Số: 02/HDHS');
    expect(second).toContain('Mẫu số 02');
    expect(second).toContain('Bản sao giấy khai sinh');
    const forms = await t.ctx.db
      .selectFrom('dossier_forms')
      .select(['office_id', 'kind', 'number'])
      .orderBy('id')
      .execute();
    expect(forms.map((f) => `${f.kind}:${f.number}`)).toEqual([
      'supplement:1',
      'supplement:2',
      'supplement:1',
    ]);
    expect(new Set(forms.map((f) => f.office_id)).size).toBe(2);
    expect(guided.dossierId).toBeGreaterThan(0);

    const c = (await receive()).code!;
    await act(c, 'start_processing');
    await act(c, 'refuse', { reason: 'Người đề nghị không thuộc đối tượng được cấp.' });
    const refusal = text((await agent.get(`/ho-so/${c}/phieu/refusal`)).text);
    for (const part of [
      'Số: 01/TCHS',
      'Mẫu số 03',
      'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      'Căn cứ',
      'THỦ TRƯỞNG CƠ QUAN GIẢI QUYẾT HỒ SƠ',
      'Trần Thị Hoa',
      'Người đề nghị không thuộc đối tượng được cấp.',
    ])
      expect(refusal, part).toContain(part);
    const atCounter = await receive({
      outcome: 'refuse',
      refusal_reason: 'Không thuộc thẩm quyền giải quyết của đơn vị.',
    });
    const counterSlip = text((await agent.get(`/ho-so/${atCounter.dossierId}/phieu/refusal`)).text);
    expect(counterSlip).toContain('Số: 02/TCHS');
    expect(counterSlip).toContain('CÁN BỘ TIẾP NHẬN');
  });

  it('04 apology with its own title, number and signer; 05 stop notice numbered', async () => {
    const code = (await receive({ procedure_code: '2.000200' })).code!;
    await act(code, 'start_processing');
    await act(code, 'reschedule', {
      new_due_date: '2026-03-25',
      reason: 'Chờ kết quả xác minh nhân thân từ địa phương.',
    });
    const agent = await loginAs(t.app, 'canbo');
    const apology = text((await agent.get(`/ho-so/${code}/phieu/apology`)).text);
    for (const part of [
      'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
      'Mẫu số 04',
      'Số: 01/XLHS',
      'THỦ TRƯỞNG CƠ QUAN GIẢI QUYẾT HỒ SƠ',
      'Trần Thị Hoa',
      'ngày 25 tháng 3 năm 2026',
    ])
      expect(apology, part).toContain(part);
    expect(apology).not.toContain('Văn bản lập sau ngày hẹn');
    const other = (await receive()).code!;
    await act(other, 'stop', { reason: 'Công dân đề nghị dừng để bổ sung hồ sơ khác.' });
    const stop = text((await agent.get(`/ho-so/${other}/phieu/stop`)).text);
    for (const part of ['THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', 'Mẫu số 05', 'Số: 01/DGQ'])
      expect(stop, part).toContain(part);
  });

  it('prints the police sector form a procedure chooses, and an office its own place name', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const procedure = await t.ctx.db
      .selectFrom('procedures')
      .selectAll()
      .where('code', '=', '2.000200')
      .executeTakeFirstOrThrow();
    const page = await admin.get(`/quan-tri/thu-tuc/${procedure.id}`);
    expect(page.text).toContain('Mẫu căn cước (CC02, CC03');
    const saved = await admin
      .post(`/quan-tri/thu-tuc/${procedure.id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        code: procedure.code,
        name: procedure.name,
        field: procedure.field,
        report_group: procedure.report_group,
        processing_days: String(procedure.processing_days),
        fee_vnd: procedure.fee_vnd === null ? '' : String(procedure.fee_vnd),
        form_set: 'id_card',
        active: 'on',
      });
    expect(saved.status).toBe(303);
    const bad = await admin
      .post(`/quan-tri/thu-tuc/${procedure.id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        code: procedure.code,
        name: procedure.name,
        report_group: procedure.report_group,
        processing_days: '7',
        form_set: 'khac',
      });
    expect(bad.status).toBe(422);
    await t.ctx.db
      .updateTable('offices')
      .set({ place_name: 'Ninh Bình' })
      .where('code', '=', '000.00.13.H40')
      .execute();
    t.ctx.masterData.invalidate();
    const code = (await receive()).code!;
    const agent = await loginAs(t.app, 'canbo');
    const receipt = text((await agent.get(`/ho-so/${code}/phieu/receipt`)).text);
    expect(receipt).toContain('Mẫu CC02');
    expect(receipt).toContain('Ninh Bình, ngày 10 tháng 3 năm 2026');
  });

  it('07 tracking book as a printable register with the handover and pickup columns; supervisors only', async () => {
    const code = (await receive()).code!;
    await act(code, 'start_processing');
    const lead = await loginAs(t.app, 'lanhdao');
    const book = await lead.get('/bao-cao/so-theo-doi?period=month&office=all');
    expect(book.status).toBe(200);
    const page = text(book.text);
    for (const part of [
      'SỔ THEO DÕI HỒ SƠ',
      'Mẫu số 07',
      'Chuyển hồ sơ đến cơ quan giải quyết',
      'Ký nhận',
      code,
      'Đội Cảnh sát QLHC về TTXH',
    ])
      expect(page, part).toContain(part);
    expect(book.text.match(/class="book-row"/g)).toHaveLength(1);
    expect((await (await loginAs(t.app, 'canbo')).get('/bao-cao/so-theo-doi')).status).toBe(403);
    expect((await lead.get('/bao-cao/so-theo-doi?period=custom&from=x')).status).toBe(422);
  });
});
