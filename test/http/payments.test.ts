import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { performDossierAction } from '../../src/dossiers/workflow/index.js';
import { receiveDossier } from '../../src/dossiers/intake/index.js';
import { accountNamed, createOfficerAt, validIntake } from '../support/factories.js';
import { PAYMENT_ENV, receiveFeeDossier } from '../support/payments.js';
import { decodeQrSvg } from '../support/qr-decode.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';
import { checkVietQrPayload } from '../support/vietqr-check.js';

/** The payment of a dossier through the pages and the API: due, cash, receipts, the return gate. */
let t: TestApp;
let token: string;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z', env: PAYMENT_ENV });
  token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'test', null);
});
afterEach(() => t.close());

const api = (path: string) => request(t.app).get(path).set('authorization', `Bearer ${token}`);
const apiPost = (path: string, body: unknown, bearer = token) =>
  request(t.app)
    .post(path)
    .set('authorization', `Bearer ${bearer}`)
    .send(body as object);
const count = async (table: 'payments' | 'receipts' | 'payment_events') =>
  Number(
    (
      await t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function pagePost(
  agent: Awaited<ReturnType<typeof loginAs>>,
  path: string,
  fields: Record<string, string>,
) {
  const page = await agent.get(path.replace(/\/[^/]+$/, ''));
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '0';
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version, ...fields });
}

describe('what a dossier owes', () => {
  it('a residence registration owes its catalog fee, with a VietQR for the exact amount', async () => {
    const code = await receiveFeeDossier(t.ctx);
    const res = await api(`/api/v1/dossiers/${code}/payment`);
    expect(res.status).toBe(200);
    expect(res.body.payment).toMatchObject({
      amount_due: 20000,
      paid: false,
      state: 'due',
      settled: false,
      fee_name: 'Lệ phí đăng ký thường trú',
      beneficiary: { bank_bin: '970415', account_no: '113000000013', illustrative: true },
    });
    expect(checkVietQrPayload(res.body.payment.vietqr)).toEqual({
      initiation: '12',
      bankBin: '970415',
      account: '113000000013',
      service: 'QRIBFTTA',
      currency: '704',
      amount: '20000',
      country: 'VN',
      billNumber: code,
      purpose: `HS ${code.replace(/[.-]/g, '')}`,
    });
    // Reading it wrote nothing.
    expect(await count('payments')).toBe(0);
  });

  it('a first căn cước owes nothing: no QR, settled', async () => {
    const code = (
      await receiveDossier(t.ctx, await accountNamed(t.ctx, 'canbo'), await validIntake(t.ctx))
    ).code!;
    const { payment } = (await api(`/api/v1/dossiers/${code}/payment`)).body;
    expect(payment).toMatchObject({ amount_due: 0, settled: true, vietqr: null });
    const agent = await loginAs(t.app, 'canbo');
    expect((await agent.get(`/ho-so/${code}/thu-phi`)).text).toContain('Không phải nộp');
  });

  it('an online filing pays the reduced rate the fee rules hold', async () => {
    const code = await receiveFeeDossier(t.ctx, { receiving_channel: 'online' });
    const { payment } = (await api(`/api/v1/dossiers/${code}/payment`)).body;
    expect(payment).toMatchObject({
      amount_due: 10000,
      amount_note: 'Nộp hồ sơ trực tuyến: mức thu giảm',
    });
  });
});

describe('cash at the counter', () => {
  it('refuses a wrong amount with the field named and saves nothing; the exact amount issues receipt 1', async () => {
    const code = await receiveFeeDossier(t.ctx);
    const wrong = await apiPost(`/api/v1/dossiers/${code}/payments`, { amount: 15000 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.fields.amount).toContain('20.000');
    expect(await count('payments')).toBe(0);
    expect(await count('payment_events')).toBe(0);

    const paid = await apiPost(`/api/v1/dossiers/${code}/payments`, {
      amount: '20.000',
      payer_name: 'Nguyễn Văn Bình',
    });
    expect(paid.status).toBe(201);
    expect(paid.body.payment).toMatchObject({
      state: 'paid',
      paid: true,
      method: 'cash',
      vietqr: null,
    });
    expect(paid.body.receipt).toMatchObject({
      number: 1,
      series: 'BL',
      year: 2026,
      amount: 20000,
      amount_in_words: 'Hai mươi nghìn đồng',
      payer_name: 'Nguyễn Văn Bình',
      dossier: code,
      issued_by: 'Trần Thị Hoa',
      state: 'valid',
    });
    const again = await apiPost(`/api/v1/dossiers/${code}/payments`, { amount: 20000 });
    expect(again.status).toBe(409);
    expect(await count('receipts')).toBe(1);
    const receipts = (await api(`/api/v1/dossiers/${code}/receipts`)).body.receipts;
    expect(receipts).toHaveLength(1);
    expect((await api(`/api/v1/receipts/${receipts[0].id}`)).body.receipt.number).toBe(1);
    const history = (await api(`/api/v1/dossiers/${code}/payment`)).body.events;
    expect(history.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'paid',
      'receipt_issued',
    ]);
  });

  it('through the page: the form keeps what was typed on a mistake, then prints the A5 receipt', async () => {
    const code = await receiveFeeDossier(t.ctx);
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get(`/ho-so/${code}/thu-phi`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Hai mươi nghìn đồng');
    const svg = /<div class="vietqr-code">(<svg[\s\S]*?<\/svg>)/.exec(page.text)![1]!;
    expect(checkVietQrPayload(decodeQrSvg(svg)!).amount).toBe('20000');

    const bad = await pagePost(agent, `/ho-so/${code}/thu-phi/tien-mat`, {
      amount: 'hai mươi',
      payer_name: 'Lê Văn Cường',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('value="hai mươi"');
    expect(bad.text).toContain('value="Lê Văn Cường"');
    const ok = await pagePost(agent, `/ho-so/${code}/thu-phi/tien-mat`, {
      amount: '20000',
      payer_name: 'Lê Văn Cường',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toMatch(/^\/thu-phi\/bien-lai\/\d+\?in=1$/);
    const receipt = await agent.get(String(ok.headers.location));
    expect(receipt.text).toContain('BIÊN LAI THU PHÍ, LỆ PHÍ');
    expect(receipt.text).toContain('0000001');
    expect(receipt.text).toContain('Hai mươi nghìn đồng');
    expect(receipt.text).toContain('Lê Văn Cường');
    expect(receipt.text).toContain('Tiền mặt');
    expect(receipt.text).toContain('layout-a5');
  });

  it('a stale page (someone changed the payment since) is a conflict, not a second change', async () => {
    const code = await receiveFeeDossier(t.ctx);
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get(`/ho-so/${code}/thu-phi`);
    await apiPost(`/api/v1/dossiers/${code}/payments`, { amount: 20000 });
    const late = await agent
      .post(`/ho-so/${code}/thu-phi/tien-mat`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: '0', amount: '20000' });
    expect(late.status).toBe(409);
    expect(await count('receipts')).toBe(1);
  });
});

describe('who may do what', () => {
  it('another office’s officer sees nothing; anonymous callers are refused', async () => {
    const code = await receiveFeeDossier(t.ctx);
    await createOfficerAt(t.ctx, '000.12.13.H40', 'hoahau');
    const other = await loginAs(t.app, 'hoahau');
    expect((await other.get(`/ho-so/${code}/thu-phi`)).status).toBe(404);
    const otherToken = await issueApiToken(
      t.ctx,
      (await accountNamed(t.ctx, 'hoahau')).id,
      't',
      null,
    );
    expect(
      (await apiPost(`/api/v1/dossiers/${code}/payments`, { amount: 20000 }, otherToken)).status,
    ).toBe(404);
    expect((await request(t.app).get(`/api/v1/dossiers/${code}/payment`)).status).toBe(401);
    expect((await request(t.app).get(`/ho-so/${code}/thu-phi`)).status).toBe(303);
    expect(await count('payments')).toBe(0);
  });

  it('an officer cannot cancel a receipt or refund; a supervisor cancels one and the next number replaces it', async () => {
    const code = await receiveFeeDossier(t.ctx);
    const first = (await apiPost(`/api/v1/dossiers/${code}/payments`, { amount: 20000 })).body
      .receipt;
    expect(
      (await apiPost(`/api/v1/receipts/${first.id}/cancel`, { reason: 'In sai tên' })).status,
    ).toBe(403);
    const officer = await loginAs(t.app, 'canbo');
    expect(
      (await pagePost(officer, `/ho-so/${code}/thu-phi/hoan-phi`, { reason: 'x' })).status,
    ).toBe(403);

    const boss = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'lanhdao')).id, 'b', null);
    const noReason = await apiPost(`/api/v1/receipts/${first.id}/cancel`, { reason: ' ' }, boss);
    expect(noReason.status).toBe(422);
    const cancelled = await apiPost(
      `/api/v1/receipts/${first.id}/cancel`,
      { reason: 'In sai tên người nộp', payer_name: 'Nguyễn Thị Mai' },
      boss,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.cancelled).toMatchObject({ number: 1, state: 'cancelled' });
    expect(cancelled.body.replacement).toMatchObject({
      number: 2,
      state: 'valid',
      payer_name: 'Nguyễn Thị Mai',
    });
    const stored = (await api(`/api/v1/dossiers/${code}/receipts`)).body.receipts;
    expect(stored.map((r: { number: number; state: string }) => [r.number, r.state])).toEqual([
      [1, 'cancelled'],
      [2, 'valid'],
    ]);
    expect(stored[0]).toMatchObject({
      cancel_reason: 'In sai tên người nộp',
      replaced_by: stored[1].id,
    });
    expect(
      (await apiPost(`/api/v1/receipts/${first.id}/cancel`, { reason: 'lần nữa' }, boss)).status,
    ).toBe(409);
  });

  it('a supervisor refunds a paid fee with its reason: the receipt is cancelled with it', async () => {
    const code = await receiveFeeDossier(t.ctx);
    await apiPost(`/api/v1/dossiers/${code}/payments`, { amount: 20000 });
    const boss = await loginAs(t.app, 'lanhdao');
    const empty = await pagePost(boss, `/ho-so/${code}/thu-phi/hoan-phi`, { reason: '' });
    expect(empty.status).toBe(422);
    const done = await pagePost(boss, `/ho-so/${code}/thu-phi/hoan-phi`, {
      reason: 'Công dân rút hồ sơ',
    });
    expect(done.status).toBe(303);
    const { payment } = (await api(`/api/v1/dossiers/${code}/payment`)).body;
    expect(payment.state).toBe('refunded');
    const [receipt] = (await api(`/api/v1/dossiers/${code}/receipts`)).body.receipts;
    expect(receipt).toMatchObject({
      state: 'cancelled',
      cancel_reason: 'Hoàn phí: Công dân rút hồ sơ',
    });
  });
});

describe('exemptions and fees by case', () => {
  it('a confirmed category exempts the payer; a category the rules do not hold is refused', async () => {
    const code = await receiveFeeDossier(t.ctx);
    const agent = await loginAs(t.app, 'canbo');
    expect(
      (await pagePost(agent, `/ho-so/${code}/thu-phi/so-tien`, { category: 'boundary_change' }))
        .status,
    ).toBe(422);
    expect(await count('payments')).toBe(0);
    expect(
      (await pagePost(agent, `/ho-so/${code}/thu-phi/so-tien`, { category: 'child' })).status,
    ).toBe(303);
    const { payment } = (await api(`/api/v1/dossiers/${code}/payment`)).body;
    expect(payment).toMatchObject({
      amount_due: 0,
      settled: true,
      vietqr: null,
      amount_note: 'Trẻ em (dưới 16 tuổi): miễn lệ phí',
    });
  });

  it('a fee by case is entered with its basis before it can be paid', async () => {
    const code = await receiveFeeDossier(t.ctx);
    // As a vehicle registration's: the catalog states no fixed amount.
    await t.ctx.db
      .updateTable('dossiers')
      .set({ fee_vnd: null })
      .where('code', '=', code)
      .execute();
    expect((await api(`/api/v1/dossiers/${code}/payment`)).body.payment).toMatchObject({
      amount_due: null,
      vietqr: null,
      settled: false,
    });
    expect((await apiPost(`/api/v1/dossiers/${code}/payments`, { amount: 1 })).status).toBe(409);
    const agent = await loginAs(t.app, 'canbo');
    const noBasis = await pagePost(agent, `/ho-so/${code}/thu-phi/so-tien`, { amount: '150000' });
    expect(noBasis.status).toBe(422);
    expect(noBasis.text).toContain('value="150000"');
    const set = await pagePost(agent, `/ho-so/${code}/thu-phi/so-tien`, {
      amount: '150.000',
      basis: 'Biểu lệ phí đăng ký xe, mô tô dưới 15 triệu',
    });
    expect(set.status).toBe(303);
    const page = await agent.get(`/ho-so/${code}/thu-phi`);
    expect(page.text).toContain('Một trăm năm mươi nghìn đồng');
    const paid = await apiPost(`/api/v1/dossiers/${code}/payments`, { amount: 150000 });
    expect(paid.status).toBe(201);
    expect(paid.body.receipt.amount_in_words).toBe('Một trăm năm mươi nghìn đồng');
  });
});

describe('the return gate', () => {
  async function readyForReturn(code: string) {
    const canbo = await accountNamed(t.ctx, 'canbo');
    for (const action of ['start_processing', 'mark_result_ready'] as const) {
      const d = await t.ctx.db
        .selectFrom('dossiers')
        .select('version')
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      await performDossierAction(t.ctx, canbo, code, action, { version: String(d.version) });
    }
  }
  const requirePayment = async (on: boolean) => {
    await t.ctx.db
      .updateTable('offices')
      .set({ payment_required_before_return: on ? 1 : 0 })
      .where('code', '=', '000.00.13.H40')
      .execute();
    t.ctx.masterData.invalidate();
  };
  const returnResult = async (agent: Awaited<ReturnType<typeof loginAs>>, code: string) => {
    const page = await agent.get(`/ho-so/${code}`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    return agent
      .post(`/ho-so/${code}/hanh-dong/return_result`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version,
        returned_to: 'Nguyễn Văn An',
        returned_by: 'applicant',
      });
  };

  it('refuses to return an unpaid fee-bearing result when the office requires it, and says how to take the fee', async () => {
    const code = await receiveFeeDossier(t.ctx);
    await readyForReturn(code);
    await requirePayment(true);
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get(`/ho-so/${code}`);
    expect(page.text).toContain(`/ho-so/${code}/thu-phi`);
    const refused = await returnResult(agent, code);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('phải nộp lệ phí trước khi nhận kết quả');
    expect(refused.text).toContain('20.000');
    expect(refused.text).toContain(`/ho-so/${code}/thu-phi`);
    const d = await t.ctx.db
      .selectFrom('dossiers')
      .select('status')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(d.status).toBe('result_ready');

    await apiPost(`/api/v1/dossiers/${code}/payments`, { amount: 20000 });
    expect((await returnResult(agent, code)).status).toBe(303);
  });

  it('lets the result go when the office does not require it, or nothing is due', async () => {
    const unpaid = await receiveFeeDossier(t.ctx);
    await readyForReturn(unpaid);
    const agent = await loginAs(t.app, 'canbo');
    expect((await returnResult(agent, unpaid)).status).toBe(303);

    await requirePayment(true);
    const free = (
      await receiveDossier(
        t.ctx,
        await accountNamed(t.ctx, 'canbo'),
        await validIntake(t.ctx, { personal_id: '035090001235' }),
      )
    ).code!;
    await readyForReturn(free);
    expect((await returnResult(agent, free)).status).toBe(303);
  });
});

describe('the office’s payment settings and the receipt slip', () => {
  it('an administrator saves a beneficiary only whole; the slip prints its VietQR', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const office = await t.ctx.db
      .selectFrom('offices')
      .selectAll()
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const form = await admin.get(`/quan-tri/don-vi/${office.id}`);
    expect(form.text).toContain('name="payment_bank_bin"');
    const fields = {
      _csrf: csrfFrom(form.text),
      code: office.code,
      name: office.name,
      short_name: office.short_name,
      parent_id: String(office.parent_id ?? ''),
      valid_from: office.valid_from,
      receipt_series: 'bl-pc06',
    };
    const partial = await admin
      .post(`/quan-tri/don-vi/${office.id}`)
      .type('form')
      .send({ ...fields, payment_bank_bin: '970436' });
    expect(partial.status).toBe(422);
    const saved = await admin
      .post(`/quan-tri/don-vi/${office.id}`)
      .type('form')
      .send({
        ...fields,
        payment_bank_bin: '970436',
        payment_account_no: '0011 0040 0001',
        payment_account_name: 'Phòng Cảnh sát QLHC',
        payment_required_before_return: 'on',
      });
    expect(saved.status).toBe(303);
    const after = await t.ctx.db
      .selectFrom('offices')
      .selectAll()
      .where('id', '=', office.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      payment_bank_bin: '970436',
      payment_account_no: '001100400001',
      payment_account_name: 'PHONG CANH SAT QLHC',
      payment_illustrative: 0,
      payment_required_before_return: 1,
      receipt_series: 'BL-PC06',
    });

    const code = await receiveFeeDossier(t.ctx);
    const agent = await loginAs(t.app, 'canbo');
    const slip = await agent.get(`/ho-so/${code}/phieu/receipt`);
    expect(slip.status).toBe(200);
    const svg = /<div class="vietqr-code">(<svg[\s\S]*?<\/svg>)/.exec(slip.text)![1]!;
    expect(checkVietQrPayload(decodeQrSvg(svg)!)).toMatchObject({
      bankBin: '970436',
      account: '001100400001',
      amount: '20000',
      billNumber: code,
    });
    // Paid: the slip no longer asks for a transfer.
    await apiPost(`/api/v1/dossiers/${code}/payments`, { amount: 20000 });
    expect((await agent.get(`/ho-so/${code}/phieu/receipt`)).text).not.toContain('data-vietqr');
  });
});
