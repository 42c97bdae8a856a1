import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed } from '../support/factories.js';
import {
  BANK_SECRET,
  deliver,
  PAYMENT_ENV,
  PORTAL_SECRET,
  receiveFeeDossier,
  signedCallback,
} from '../support/payments.js';
import { createTestApp, csrfFrom, loginAs, rawSql, type TestApp } from '../support/test-app.js';

/** Confirmation that cannot be forged, bank statements, the review list, the day's takings, the figures. */
let t: TestApp;
let code: string;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z', env: PAYMENT_ENV });
  code = await receiveFeeDossier(t.ctx);
});
afterEach(() => t.close());

const now = () => t.clock.now();
const paymentState = async () =>
  (
    await t.ctx.db
      .selectFrom('payments')
      .innerJoin('dossiers', 'dossiers.id', 'payments.dossier_id')
      .select(['payments.state', 'payments.method'])
      .where('dossiers.code', '=', code)
      .executeTakeFirst()
  )?.state ?? 'none';
/** Everything a forged callback must leave as it was. */
const snapshot = async () =>
  JSON.stringify(
    await Promise.all([
      rawSql(t.ctx, 'select * from payments order by id'),
      rawSql(t.ctx, 'select * from receipts order by id'),
      rawSql(t.ctx, 'select count(*) as n from payment_events'),
      rawSql(t.ctx, 'select count(*) as n from payment_callbacks'),
      rawSql(t.ctx, 'select * from receipt_sequences'),
    ]),
  );
const good = (over: Record<string, unknown> = {}) => ({
  transaction_id: 'FT26069000001',
  amount: 20000,
  currency: 'VND',
  reference: code,
  description: `HS ${code.replace(/[.-]/g, '')}`,
  payer_name: 'NGUYEN VAN AN',
  ...over,
});

describe('forged callbacks change nothing', () => {
  it('a bad signature, another provider’s secret, a re-dated or stale timestamp, none at all', async () => {
    const before = await snapshot();
    const c = signedCallback(good(), now());
    const forged = [
      { ...c, signature: `sha256=${'0'.repeat(64)}` },
      signedCallback(good(), now(), PORTAL_SECRET),
      { ...c, timestamp: String(Number(c.timestamp) + 1) },
      { ...c, body: JSON.stringify(good({ amount: 20 })) },
      signedCallback(good(), new Date(now().getTime() - 10 * 60_000)),
      { ...c, signature: '' },
    ];
    for (const f of forged) {
      const res = await deliver(t.app, 'bank', f);
      expect(res.status, JSON.stringify(f).slice(0, 80)).toBe(401);
      expect(res.body.error.code).toMatch(/^(bad_signature|stale_timestamp)$/);
    }
    expect((await deliver(t.app, 'nobody', c)).status).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it('a wrong amount or an unknown reference is kept for review and pays nothing', async () => {
    const wrong = await deliver(t.app, 'bank', signedCallback(good({ amount: 2000 }), now()));
    expect(wrong.status).toBe(200);
    expect(wrong.body).toMatchObject({
      outcome: 'amount_mismatch',
      duplicate: false,
      dossier: code,
    });
    const unknown = await deliver(
      t.app,
      'bank',
      signedCallback(
        good({ transaction_id: 'FT2', reference: '000.00.13.H40-260310-0999', description: '' }),
        now(),
      ),
    );
    expect(unknown.body.outcome).toBe('unknown_reference');
    const none = await deliver(
      t.app,
      'bank',
      signedCallback(
        good({ transaction_id: 'FT3', reference: undefined, description: 'chuyen tien' }),
        now(),
      ),
    );
    expect(none.body.outcome).toBe('unknown_reference');
    expect(await paymentState()).toBe('none');
    expect((await rawSql(t.ctx, 'select count(*) as n from receipts'))[0]).toMatchObject({ n: 0 });

    const boss = await loginAs(t.app, 'quantri');
    const review = await boss.get('/thu-phi/doi-soat');
    expect(review.status).toBe(200);
    expect(review.text).toContain('Sai số tiền');
    expect(review.text).toContain('Không tìm thấy hồ sơ');
    expect(review.text).toContain('FT3');
  });

  it('malformed bodies are refused with their fields, and nothing is kept', async () => {
    const before = await snapshot();
    for (const body of [
      { ...good(), amount: -5 },
      { ...good(), transaction_id: '' },
      { amount: 'x' },
    ]) {
      const res = await deliver(t.app, 'bank', signedCallback(body, now()));
      expect(res.status).toBe(422);
    }
    const notJson = { body: '{not json', timestamp: '', signature: '' };
    const ts = String(Math.floor(now().getTime() / 1000));
    const { signCallback } = await import('../../src/payments/callback-signature.js');
    const res = await deliver(t.app, 'bank', {
      ...notJson,
      timestamp: ts,
      signature: signCallback(BANK_SECRET, ts, notJson.body),
    });
    expect(res.status).toBe(400);
    expect(await snapshot()).toBe(before);
  });
});

describe('a good callback', () => {
  it('marks the payment paid once, with one receipt, however often it is delivered', async () => {
    const c = signedCallback(good(), now());
    const answers = await Promise.all([1, 2, 3].map(() => deliver(t.app, 'bank', c)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(1);
    expect(answers.every((a) => a.body.outcome === 'paid')).toBe(true);
    expect(await paymentState()).toBe('paid');
    const receipts = await rawSql<{ number: number; method: string; issued_by_name: string }>(
      t.ctx,
      'select number, method, issued_by_name from receipts',
    );
    expect(receipts).toEqual([
      { number: 1, method: 'transfer', issued_by_name: 'Tự động (xác nhận từ bank)' },
    ]);
    expect((await rawSql(t.ctx, 'select count(*) as n from payment_callbacks'))[0]).toMatchObject({
      n: 1,
    });

    // The same delivery later: still the first answer, and nothing changes. The same id with
    // another body: refused.
    const paidState = await snapshot();
    expect((await deliver(t.app, 'bank', c)).body).toMatchObject({
      duplicate: true,
      outcome: 'paid',
    });
    expect(await snapshot()).toBe(paidState);
    const reused = await deliver(t.app, 'bank', signedCallback(good({ amount: 30000 }), now()));
    expect(reused.status).toBe(409);
    // A second transfer for a paid fee is money twice: listed for review, not a second receipt.
    const twice = await deliver(
      t.app,
      'bank',
      signedCallback(good({ transaction_id: 'FT9' }), now()),
    );
    expect(twice.body.outcome).toBe('already_paid');
    expect((await rawSql(t.ctx, 'select count(*) as n from receipts'))[0]).toMatchObject({ n: 1 });
  });

  it('a portal’s confirmation is an online payment, found by the code in the content alone', async () => {
    const res = await deliver(
      t.app,
      'portal',
      signedCallback(good({ reference: undefined }), now(), PORTAL_SECRET),
    );
    expect(res.body).toMatchObject({ outcome: 'paid', dossier: code });
    const [p] = await rawSql<{ method: string; provider: string }>(
      t.ctx,
      'select method, provider from payments',
    );
    expect(p).toEqual({ method: 'online', provider: 'portal' });
  });
});

function statementCsv(lines: string[][]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'statement-')), 'sao-ke.csv');
  const rows = [
    ['SAO KÊ TÀI KHOẢN 113000000013'],
    [],
    ['STT', 'Ngày giao dịch', 'Số tham chiếu', 'Ghi nợ', 'Ghi có', 'Nội dung'],
    ...lines,
  ];
  fs.writeFileSync(file, rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\n'));
  return file;
}

describe('the bank statement', () => {
  it('pays the transfer that names a dossier with its exact amount, lists the rest, and never twice', async () => {
    const second = await receiveFeeDossier(t.ctx, { personal_id: '035090001235' });
    const compact = (c: string) => c.replace(/[.-]/g, '');
    const file = statementCsv([
      ['1', '10/03/2026', 'FT1', '', '20.000', `MBVCB.1 NGUYEN VAN AN CK HS ${compact(code)}`],
      ['2', '10/03/2026', 'FT2', '', '15.000', `HS ${compact(second)}`],
      ['3', '10/03/2026', 'FT3', '', '50.000', 'ung ho'],
      ['4', '10/03/2026', 'FT4', '5.000', '', 'Phi SMS'],
    ]);
    const boss = await loginAs(t.app, 'lanhdao');
    const office = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const upload = async () => {
      const page = await boss.get('/thu-phi/doi-soat');
      return boss
        .post('/thu-phi/doi-soat/sao-ke')
        .field('_csrf', csrfFrom(page.text))
        .field('office_id', String(office.id))
        .attach('file', file);
    };
    const first = await upload();
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/Đã đọc 3 khoản ghi có: 1 khớp, 2 cần xem xét, 0 đã nhập trước đó/);
    expect(await paymentState()).toBe('paid');
    expect(first.text).toContain('Sai số tiền');
    expect(first.text).toContain('ung ho');

    const again = await upload();
    expect(again.text).toMatch(/Đã đọc 3 khoản ghi có: 0 khớp, 0 cần xem xét, 3 đã nhập trước đó/);
    expect((await rawSql(t.ctx, 'select count(*) as n from receipts'))[0]).toMatchObject({ n: 1 });

    // A person decides: the 15,000 was a partial transfer, refunded.
    const line = (
      await rawSql<{ id: number }>(
        t.ctx,
        "select id from bank_statement_lines where bank_ref = 'FT2'",
      )
    )[0]!;
    const page = await boss.get('/thu-phi/doi-soat');
    const noNote = await boss
      .post(`/thu-phi/doi-soat/line/${line.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), note: '' });
    expect(noNote.status).toBe(422);
    const closed = await boss
      .post(`/thu-phi/doi-soat/line/${line.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), note: 'Chuyển thiếu, đã hoàn lại cho công dân' });
    expect(closed.status).toBe(303);
    expect((await boss.get('/thu-phi/doi-soat')).text).not.toContain('FT2');
  });

  it('reads an XLSX statement (sheet dates, numeric amounts) the same way', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sao ke');
    sheet.addRow(['NGÂN HÀNG TMCP CÔNG THƯƠNG – SAO KÊ']);
    sheet.addRow([
      'Ngày hạch toán',
      'Mã giao dịch',
      'Số tiền ghi nợ',
      'Số tiền ghi có',
      'Diễn giải',
    ]);
    sheet.addRow([new Date(Date.UTC(2026, 2, 10)), 'FT77', null, 20000, `${code} nop le phi`]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'statement-')), 'sao-ke.xlsx');
    await book.xlsx.writeFile(file);
    const boss = await loginAs(t.app, 'lanhdao');
    const page = await boss.get('/thu-phi/doi-soat');
    const office = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const res = await boss
      .post('/thu-phi/doi-soat/sao-ke')
      .field('_csrf', csrfFrom(page.text))
      .field('office_id', String(office.id))
      .attach('file', file);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/Đã đọc 1 khoản ghi có: 1 khớp/);
    expect(await paymentState()).toBe('paid');
    const [line] = await rawSql<{ booked_on: string; match_state: string }>(
      t.ctx,
      'select booked_on, match_state from bank_statement_lines',
    );
    expect(line).toEqual({ booked_on: '2026-03-10', match_state: 'paid' });
  });

  it('refuses a file without the statement’s columns, and officers may not import', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'statement-')), 'x.csv');
    fs.writeFileSync(file, 'a,b,c\n1,2,3\n');
    const boss = await loginAs(t.app, 'lanhdao');
    const page = await boss.get('/thu-phi/doi-soat');
    const office = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const res = await boss
      .post('/thu-phi/doi-soat/sao-ke')
      .field('_csrf', csrfFrom(page.text))
      .field('office_id', String(office.id))
      .attach('file', file);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Không tìm thấy dòng tiêu đề');
    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get('/thu-phi/doi-soat')).status).toBe(403);
  });
});

describe('the day’s takings and the figures', () => {
  it('per officer and method, matched against receipts, printable and exported; the online share', async () => {
    const token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'x', null);
    const cash = await receiveFeeDossier(t.ctx, { personal_id: '035090001235' });
    await request(t.app)
      .post(`/api/v1/dossiers/${cash}/payments`)
      .set('authorization', `Bearer ${token}`)
      .send({ amount: 20000 });
    await deliver(t.app, 'portal', signedCallback(good(), now(), PORTAL_SECRET));

    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get('/thu-phi/so-thu');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-balanced="true"');
    expect(page.text).toContain('Trần Thị Hoa');
    expect(page.text).toContain('Tự động (xác nhận từ portal)');
    const json = (
      await request(t.app).get('/api/v1/payments/takings').set('authorization', `Bearer ${token}`)
    ).body;
    expect(json).toMatchObject({
      balanced: true,
      total: 40000,
      totals: { cash: { count: 1, amount: 20000 }, online: { count: 1, amount: 20000 } },
    });

    const csv = await agent.get('/thu-phi/so-thu.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain(cash);
    expect(csv.text).toContain('Tiền mặt');
    const xlsx = await agent
      .get('/thu-phi/so-thu.xlsx')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const cells = book.worksheets[0]!.getSheetValues().flat().map(String);
    expect(cells).toContain(code);
    expect(cells).toContain('Thanh toán trực tuyến');

    // Supervisors: the report's figures.
    expect(
      (
        await request(t.app)
          .get('/api/v1/payments/summary?from=2026-03-01&to=2026-03-31')
          .set('authorization', `Bearer ${token}`)
      ).status,
    ).toBe(403);
    const boss = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'lanhdao')).id, 'b', null);
    const summary = await request(t.app)
      .get('/api/v1/payments/summary?from=2026-03-01&to=2026-03-31&office=000.00.13.H40')
      .set('authorization', `Bearer ${boss}`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      total: { count: 2, amount: 40000 },
      online_share: { paid: 2, online: 1, share: 0.5 },
      by_procedure: [
        { procedure_code: '1.004222', method: 'cash', count: 1, amount: 20000 },
        { procedure_code: '1.004222', method: 'online', count: 1, amount: 20000 },
      ],
    });
    const bad = await request(t.app)
      .get('/api/v1/payments/summary?from=2026-03-31&to=2026-03-01')
      .set('authorization', `Bearer ${boss}`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.to).toBeTruthy();
  });
});
