import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { afterEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/index.js';
import { setAmount } from '../../src/payments/payments.service.js';
import { accountNamed, createOfficerAt, documentIds, validIntake } from '../support/factories.js';
import { makePdf } from '../support/file-fixtures.js';
import { createFilesApp, receive, type FilesApp } from '../support/files-helpers.js';
import { deliver, PAYMENT_ENV, PORTAL_SECRET, signedCallback } from '../support/payments.js';
import { loginAs } from '../support/test-app.js';

/**
 * The report's fee and digitisation sections (issues 31 and 33) from a seeded history, with
 * exact numbers, on the page (and so its printed form), the summary's CSV and XLSX, and the API.
 */
let t: FilesApp;
afterEach(() => t?.close());

const PERIOD = 'period=custom&from=01/03/2026&to=31/03/2026&office=all';
const binary = ((res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];

async function act(code: string, action: string) {
  const d = await t.api.get(`/api/v1/dossiers/${code}`);
  const res = await t.api.post(`/api/v1/dossiers/${code}/actions/${action}`, {
    version: d.body.dossier.version,
  });
  if (res.status >= 300) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
}
async function componentLike(code: string, pattern: RegExp): Promise<string> {
  const list = await t.api.get(`/api/v1/dossiers/${code}/files`);
  return (list.body.components as { component: string; name: string }[]).find((c) =>
    pattern.test(c.name),
  )!.component;
}
const RESIDENCE = /chứng minh chỗ ở hợp pháp/;

/**
 * At the district office (000.00.13.H40), March 2026:
 * - D1 thường trú (20,000 ₫), person P: paid in cash; its proof of residence scanned;
 * - D2 tạm trú (15,000 ₫), person P: unpaid; the proof reused from D1;
 * - D3 thường trú, a child: exempt;
 * - D4 thường trú: paid online (the portal's signed callback);
 * - D5 căn cước (free): one component scanned, the result attached and ready.
 * At a commune (000.11.13.H40): D6 thường trú, unpaid.
 */
async function seedHistory() {
  t = await createFilesApp('fs', PAYMENT_ENV, '2026-03-10T02:00:00Z');
  const P = '035090001234';
  const d1 = await receive(t, {
    procedure_code: '1.004222',
    documents: await documentIds(t.ctx, '1.004222'),
    personal_id: P,
  });
  await t.api.post(`/api/v1/dossiers/${d1.code}/payments`, { amount: 20000 }).expect(201);
  const proof = await componentLike(d1.code, RESIDENCE);
  await t.api.upload(d1.code, proof, [{ name: 'hd.pdf', bytes: makePdf({ pages: 2 }) }]);
  const d2 = await receive(t, {
    procedure_code: '1.004194',
    documents: await documentIds(t.ctx, '1.004194'),
    personal_id: P,
  });
  const officer = await loginAs(t.app, 'canbo');
  const target = await componentLike(d2.code, RESIDENCE);
  const reusePage = await officer.get(`/ho-so/${d2.code}/dung-lai`);
  const source = /name="source" value="(\d+)"/.exec(reusePage.text)![1]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(reusePage.text)![1]!;
  await officer
    .post(`/ho-so/${d2.code}/giay-to/${target}/dung-lai`)
    .type('form')
    .send({ _csrf: csrf, source })
    .expect(303);
  const d3 = await receive(t, {
    procedure_code: '1.004222',
    documents: await documentIds(t.ctx, '1.004222'),
    personal_id: '035090005555',
  });
  await setAmount(t.ctx, await accountNamed(t.ctx, 'canbo'), d3.code, { category: 'child' });
  const d4 = await receive(t, {
    procedure_code: '1.004222',
    documents: await documentIds(t.ctx, '1.004222'),
    personal_id: '035090006666',
  });
  const paid = await deliver(
    t.app,
    'portal',
    signedCallback(
      {
        transaction_id: 'DVC26069000001',
        amount: 20000,
        currency: 'VND',
        reference: d4.code,
        description: `HS ${d4.code.replace(/[.-]/g, '')}`,
        payer_name: 'LE VAN C',
      },
      t.clock.now(),
      PORTAL_SECRET,
    ),
  );
  expect(paid.body.outcome).toBe('paid');
  const d5 = await receive(t, { personal_id: '035090007777' });
  await t.api.upload(d5.code, d5.components[0]!, [{ name: 'a.pdf', bytes: makePdf({ pages: 1 }) }]);
  await t.api.upload(d5.code, 'result', [{ name: 'kq.pdf', bytes: makePdf({ pages: 1 }) }]);
  await act(d5.code, 'mark_result_ready');
  await createOfficerAt(t.ctx, '000.11.13.H40', 'xaphuong');
  await receiveDossier(
    t.ctx,
    await accountNamed(t.ctx, 'xaphuong'),
    await validIntake(t.ctx, {
      procedure_code: '1.004222',
      documents: await documentIds(t.ctx, '1.004222'),
      personal_id: '035090008888',
    }),
  );
  const components =
    4 * (await documentIds(t.ctx, '1.004222')).length +
    (await documentIds(t.ctx, '1.004194')).length +
    (await documentIds(t.ctx, '2.000200')).length;
  return { components, d1: d1.code, d2: d2.code, d5: d5.code, proof, target };
}

describe('the report’s fee and digitisation sections', { timeout: 90_000 }, () => {
  it('shows the fees and the digitisation per office with exact numbers on the page, CSV, XLSX and API', async () => {
    const { components } = await seedHistory();
    const boss = await loginAs(t.app, 'lanhdao');

    // The API: fees per office and in total.
    const token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'lanhdao')).id, 'r', null);
    const api = await request(t.app)
      .get('/api/v1/reports/summary?from=2026-03-01&to=2026-03-31')
      .set('authorization', `Bearer ${token}`);
    expect(api.status).toBe(200);
    const fees = api.body.fees;
    const zero = { count: 0, amount: 0 };
    expect(fees.totals).toEqual({
      fee_dossiers: 5,
      due: { count: 4, amount: 75000 },
      exempt: 1,
      to_assess: 0,
      unpaid: { count: 2, amount: 35000 },
      cancelled_or_refunded: 0,
      collected: {
        by_method: {
          cash: { count: 1, amount: 20000 },
          transfer: zero,
          online: { count: 1, amount: 20000 },
        },
        total: { count: 2, amount: 40000 },
      },
      online_share: 0.5,
    });
    expect(
      fees.by_office.map((o: { office: string; fee_dossiers: number; unpaid: unknown }) => [
        o.office,
        o.fee_dossiers,
        o.unpaid,
      ]),
    ).toEqual([
      ['000.00.13.H40', 4, { count: 1, amount: 15000 }],
      ['000.11.13.H40', 1, { count: 1, amount: 20000 }],
    ]);
    expect(fees.by_procedure).toEqual([
      expect.objectContaining({
        procedure_code: '1.004222',
        method: 'cash',
        count: 1,
        amount: 20000,
      }),
      expect.objectContaining({
        procedure_code: '1.004222',
        method: 'online',
        count: 1,
        amount: 20000,
      }),
    ]);

    // Digitisation: 3 components digitised (one of them reused), 3 dossiers with a digitised
    // component or result, 1 with a reuse, 1 result given, electronically.
    const digit = api.body.digitisation;
    expect(digit.totals).toMatchObject({
      dossiers_received: 6,
      components_received: components,
      components_digitised: 3,
      components_reused: 1,
      components_paper_only: 0,
      dossiers_fully_digitised: 0,
      dossiers_with_digitised: 3,
      dossiers_with_reuse: 1,
      results_given: 1,
      results_electronic: 1,
      dossier_digitisation_rate: 0.5,
      electronic_result_rate: 1,
    });
    expect(
      digit.by_office.map((o: { office: string; dossiers_received: number }) => [
        o.office,
        o.dossiers_received,
      ]),
    ).toEqual([
      ['000.00.13.H40', 5],
      ['000.11.13.H40', 1],
    ]);

    // The page (its printed form is the same page): the two sections with the same numbers.
    const page = await boss.get(`/bao-cao?${PERIOD}`);
    expect(page.status).toBe(200);
    const table = (key: string) =>
      new RegExp(`data-table="${key}"[\\s\\S]*?</table>`).exec(page.text)![0];
    const feeTable = table('fees-by-office');
    expect(feeTable).toContain('<tfoot><tr><th scope="row">Tổng cộng</th><td class="num">5</td>');
    expect(feeTable).toContain('75.000');
    expect(feeTable).toContain('35.000');
    expect(feeTable).toContain('50,0 %');
    expect(table('digitisation-by-office')).toMatch(
      new RegExp(
        `Tổng cộng</th><td class="num">6</td><td class="num">${components}</td><td class="num">3</td><td class="num">1</td>`,
      ),
    );
    // Printed with the page: the sections are in no no-print block.
    const section = page.text.indexOf('<section class="report-section" id="fees"');
    expect(section).toBeGreaterThan(0);
    expect(page.text.lastIndexOf('no-print', section)).toBeLessThan(page.text.indexOf('<table'));

    // CSV: the same rows, percentages as numbers.
    const csv = await boss.get(`/bao-cao/xuat/tong-hop.csv?${PERIOD}`);
    const rows = parse(csv.text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    const tableOf = (caption: string) => {
      const at = rows.findIndex((r) => r[0] === caption);
      const end = rows.findIndex((r, i) => i > at && (r.length === 0 || r.every((c) => c === '')));
      return rows.slice(at + 1, end);
    };
    const feeRows = tableOf('Phí, lệ phí theo đơn vị');
    expect(feeRows[0]![12]).toBe('Tỷ lệ thanh toán trực tuyến (%)');
    expect(feeRows).toHaveLength(4); // heading, two offices, total
    expect(feeRows.at(-1)).toEqual([
      'Tổng cộng',
      '5',
      '4',
      '75000',
      '1',
      '0',
      '35000',
      '20000',
      '0',
      '20000',
      '40000',
      '2',
      '50',
    ]);
    const digitised = tableOf('Số hóa theo đơn vị');
    expect(digitised.at(-1)!.slice(0, 11)).toEqual([
      'Tổng cộng',
      '6',
      String(components),
      '3',
      '1',
      '0',
      '0',
      '3',
      '1',
      '1',
      '1',
    ]);

    // XLSX: the same totals.
    const xlsx = await boss.get(`/bao-cao/xuat/tong-hop.xlsx?${PERIOD}`).buffer(true).parse(binary);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet: unknown[][] = [];
    book.worksheets[0]!.eachRow({ includeEmpty: true }, (row) => {
      sheet.push((row.values as unknown[]).slice(1));
    });
    const totalAfter = (caption: string) => {
      const at = sheet.findIndex((r) => r[0] === caption);
      return sheet.slice(at).find((r) => r[0] === 'Tổng cộng')!;
    };
    expect(totalAfter('Phí, lệ phí theo đơn vị')).toEqual([
      'Tổng cộng',
      5,
      4,
      75000,
      1,
      0,
      35000,
      20000,
      0,
      20000,
      40000,
      2,
      50,
    ]);
    expect(totalAfter('Số hóa theo đơn vị').slice(0, 4)).toEqual(['Tổng cộng', 6, components, 3]);
  });

  it('says which components are digitised on the process-control slip (Mẫu 06) and in the tracking book', async () => {
    const seeded = await seedHistory();
    const officer = await loginAs(t.app, 'canbo');
    const slip = await officer.get(`/ho-so/${seeded.d2}/phieu/control`);
    expect(slip.status).toBe(200);
    const row = (html: string, key: string) =>
      new RegExp(`<tr data-component="${key}">[\\s\\S]*?</tr>`).exec(html)![0];
    expect(slip.text).toContain('Tình trạng số hóa thành phần hồ sơ, kết quả');
    expect(row(slip.text, seeded.target)).toContain('Dùng lại bản đã số hóa');
    expect(row(slip.text, 'result')).toContain('Chưa số hóa');
    const result = await officer.get(`/ho-so/${seeded.d5}/phieu/control`);
    expect(row(result.text, 'result')).toContain('Đã số hóa');
    expect(row(slip.text, seeded.target)).not.toContain('Đã số hóa');

    const boss = await loginAs(t.app, 'lanhdao');
    const district = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const book = await boss.get(
      `/bao-cao/so-theo-doi?period=custom&from=01/03/2026&to=31/03/2026&office=${district.id}`,
    );
    expect(book.status).toBe(200);
    const notes = [...book.text.matchAll(/<span class="book-digitised">([^<]*)<\/span>/g)].map(
      (m) => m[1],
    );
    const n = async (code: string) => (await documentIds(t.ctx, code)).length;
    expect(notes).toEqual([
      `Số hóa 1/${await n('1.004222')} thành phần`,
      `Số hóa 1/${await n('1.004194')} thành phần (1 tái sử dụng)`,
      'Chưa số hóa thành phần',
      'Chưa số hóa thành phần',
      `Số hóa 1/${await n('2.000200')} thành phần; kết quả điện tử`,
    ]);
  });

  it('shows empty sections for a period with nothing, and only to supervisors', async () => {
    t = await createFilesApp('fs', PAYMENT_ENV, '2026-03-10T02:00:00Z');
    const boss = await loginAs(t.app, 'lanhdao');
    const page = await boss.get('/bao-cao?period=custom&from=01/01/2026&to=31/01/2026');
    expect(page.text).toContain('data-section="fees"');
    expect(page.text).toContain('data-section="digitisation"');
    expect(page.text).toContain('Không có số liệu trong kỳ.');
    const officer = await t.api.get('/api/v1/reports/summary?from=2026-01-01&to=2026-01-31');
    expect(officer.status).toBe(403);
  });
});
