import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { performDossierAction } from '../../src/dossiers/workflow/workflow.service.js';
import { verifyChains } from '../../src/audit/hash-chain.js';
import {
  buildReport,
  parseReportQuery,
  resolveReportScope,
} from '../../src/reports/reports.service.js';
import { COUNT_KEYS } from '../../src/reports/report-tally.js';
import { accountNamed } from '../support/factories.js';
import { seedReportWeek } from '../support/scenarios.js';
import { createTestApp, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

const DISTRICT = '000.00.13.H40';
const BOOK_HEADING =
  'STT,Mã hồ sơ,Mã thủ tục,Tên thủ tục,Người nộp,Số định danh,Điện thoại,Địa chỉ,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả,Trạng thái,Kết quả,Ghi chú';

let apps: TestApp[] = [];
async function app(now = '2026-03-20T02:00:00Z'): Promise<TestApp> {
  const t = await createTestApp({ now });
  apps.push(t);
  return t;
}
beforeEach(() => {
  apps = [];
});
afterEach(async () => {
  for (const t of apps) await t.close();
});

type Agent = ReturnType<typeof request.agent>;

async function officeId(t: TestApp, code = DISTRICT): Promise<number> {
  return (
    await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  ).id;
}

/** Step one on the admin page: upload and check. */
async function check(
  t: TestApp,
  agent: Agent,
  body: Buffer | string,
  name = 'so-theo-doi.csv',
  office?: number,
) {
  return agent
    .post('/quan-tri/nhap-so/kiem-tra')
    .field('_csrf', await csrfOf(agent, '/quan-tri/nhap-so'))
    .field('office_id', String(office ?? (await officeId(t))))
    .attach('file', Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), name);
}

/** Both steps: check, then press the import button the check page shows. */
async function checkAndImport(
  t: TestApp,
  agent: Agent,
  body: Buffer | string,
  name = 'so-theo-doi.csv',
  office?: number,
) {
  const checked = await check(t, agent, body, name, office);
  expect(checked.status, checked.text.slice(0, 2000)).toBe(200);
  const action = /action="(\/quan-tri\/nhap-so\/[0-9a-f]+\/nhap)"/.exec(checked.text);
  if (!action) return { checked, imported: null };
  const imported = await agent
    .post(action[1]!)
    .type('form')
    .send({ _csrf: await csrfOf(agent, '/quan-tri/nhap-so') });
  return { checked, imported };
}

const dossierCount = async (t: TestApp) =>
  Number(
    (
      await t.ctx.db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const eventCount = async (t: TestApp) =>
  Number(
    (
      await t.ctx.db
        .selectFrom('dossier_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The report for one office, every count except "guided" (never in a tracking book). */
async function districtReport(t: TestApp, from: string, to: string) {
  const supervisor = await accountNamed(t.ctx, 'lanhdao');
  const scope = await resolveReportScope(t.ctx, supervisor, await officeId(t));
  const report = await buildReport(
    t.ctx,
    scope,
    parseReportQuery({ period: 'custom', from, to }, '2026-03-20'),
  );
  const counts = (group: object) => {
    const g = group as Record<string, unknown>;
    return Object.fromEntries(COUNT_KEYS.filter((k) => k !== 'guided').map((k) => [k, g[k]]));
  };
  return {
    totals: counts(report.totals),
    byReportGroup: report.byReportGroup.map((g) => ({
      key: g.key,
      ...counts(g),
      onTimeRate: g.onTimeRate,
    })),
    byProcedure: report.byProcedure.map((g) => ({ key: g.key, ...counts(g) })),
    days: report.days,
  };
}

/** The week of the reports tests, plus a rescheduled dossier, exported as the tracking book of the district office. */
async function sourceWithExport(ext: 'csv' | 'xlsx') {
  const source = await app();
  await seedReportWeek(source);
  const district = await accountNamed(source.ctx, 'canbo');
  const open = await source.ctx.db
    .selectFrom('dossiers')
    .select(['code', 'version'])
    .where('status', '=', 'received')
    .where('office_id', '=', await officeId(source))
    .orderBy('id')
    .executeTakeFirstOrThrow();
  source.clock.set('2026-03-19T03:00:00Z');
  await performDossierAction(source.ctx, district, open.code!, 'reschedule', {
    version: String(open.version),
    reason: 'Chờ xác minh thông tin cư trú.',
    new_due_date: '2026-03-24',
  });
  source.clock.set('2026-03-20T02:00:00Z');
  const supervisor = await loginAs(source.app, 'lanhdao');
  const res = await supervisor
    .get(
      `/bao-cao/xuat/so-theo-doi.${ext}?period=custom&from=2026-01-01&to=2026-03-20&office=${await officeId(source)}`,
    )
    .buffer(true)
    .parse(binary);
  expect(res.status).toBe(200);
  return { source, file: res.body as Buffer };
}

describe('importing a tracking book', () => {
  for (const ext of ['csv', 'xlsx'] as const) {
    it(`re-imports an exported ${ext.toUpperCase()} tracking book into an empty office with the same report`, async () => {
      const { source, file } = await sourceWithExport(ext);
      const target = await app();
      const admin = await loginAs(target.app, 'quantri');
      const { checked, imported } = await checkAndImport(target, admin, file, `so-theo-doi.${ext}`);
      expect(checked.text).toContain('Tệp hợp lệ');
      expect(imported!.status).toBe(303);

      for (const [from, to] of [
        ['2026-03-09', '2026-03-13'],
        ['2026-03-01', '2026-03-31'],
        ['2026-03-16', '2026-03-20'],
      ] as const) {
        expect(await districtReport(target, from, to), `${from}…${to}`).toEqual(
          await districtReport(source, from, to),
        );
      }
      // The same dossiers under the same codes, statuses, dates and outcomes.
      const dossiers = (t: TestApp) =>
        t.ctx.db
          .selectFrom('dossiers')
          .select([
            'code',
            'status',
            'outcome',
            'due_on',
            'rescheduled_due_on',
            'result_on',
            'procedure_code',
          ])
          .where('intake_outcome', '=', 'accepted')
          .where('office_id', '=', 1)
          .orderBy('code')
          .execute();
      expect(await dossiers(target)).toEqual(await dossiers(source));
      expect((await verifyChains(target.ctx.db)).broken).toEqual([]);
      // Every imported dossier's page opens (appointments as written: no computation to explain).
      const officer = await loginAs(target.app, 'canbo');
      for (const d of await dossiers(target))
        expect((await officer.get(`/ho-so/${d.code}`)).status, d.code!).toBe(200);
    });
  }

  it('lists every bad row with its number and reason, and imports nothing', async () => {
    const t = await app();
    const admin = await loginAs(t.app, 'quantri');
    const before = { dossiers: await dossierCount(t), events: await eventCount(t) };
    const csv = [
      'Sổ theo dõi hồ sơ',
      BOOK_HEADING,
      '1,,2.000200,Cấp căn cước,Trần Thị Bình,035190001234,0912345678,Thôn 1,09/03/2026 08:15,,,,,,',
      '2,,9.999999,?,Lê Văn Cường,035090001235,,Thôn 2,09/03/2026 09:00,,,,,,',
      '3,,2.000200,Cấp căn cước,Phạm Văn Dũng,12345,,Thôn 3,09/03/2026 09:30,,,,,,',
      '4,,2.000200,Cấp căn cước,Hoàng Thị Em,035190001236,,Thôn 4,10/03/2026 08:00,,08/03/2026,09/03/2026,Đã trả kết quả,,',
      '5,,1.004194,Đăng ký tạm trú,Vũ Văn Phúc,035090001237,,Thôn 5,30/02/2026,,,,,,',
      '6,,2.000200,Cấp căn cước,Trần Thị Bình,035190001234,0912345678,Thôn 1,09/03/2026 08:15,,,,,,',
    ].join('\r\n');
    const res = await check(t, admin, csv);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Tệp còn dòng lỗi: không nhập dòng nào.');
    const rows = [
      ...res.text.matchAll(/<tr><td class="num">(\d+)<\/td><td>([\s\S]*?)<\/td><\/tr>/g),
    ].map((m) => [
      Number(m[1]),
      m[2]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/&#34;|&quot;/g, '"')
        .replace(/\s+/g, ' ')
        .trim(),
    ]);
    expect(rows.map((r) => r[0])).toEqual([4, 5, 6, 7, 8]);
    expect(rows[0]![1]).toContain('Mã thủ tục "9.999999" không có trong danh mục thủ tục.');
    expect(rows[1]![1]).toContain('Số định danh phải gồm 12 chữ số');
    expect(rows[2]![1]).toContain('Ngày có kết quả trước ngày nhận.');
    expect(rows[2]![1]).toContain('Ngày trả trước ngày nhận.');
    expect(rows[3]![1]).toContain('"Ngày nhận" không phải ngày hợp lệ: "30/02/2026"');
    expect(rows[4]![1]).toContain('Trùng hoàn toàn với dòng 3.');
    expect(res.text).not.toMatch(/action="\/quan-tri\/nhap-so\/[0-9a-f]+\/nhap"/);
    expect({ dossiers: await dossierCount(t), events: await eventCount(t) }).toEqual(before);

    // The service refuses too (all or nothing), even with good rows before and after the bad ones.
    const { importTrackingBook, findImportOffice } =
      await import('../../src/imports/imports.service.js');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = `${mkdtempSync(`${tmpdir()}/motcua-test-`)}/bad.csv`;
    writeFileSync(path, csv);
    const quantri = await accountNamed(t.ctx, 'quantri');
    const report = await importTrackingBook(
      t.ctx,
      quantri,
      { path, name: 'bad.csv' },
      await findImportOffice(t.ctx, { code: DISTRICT }),
    );
    expect(report.imported).toBe(0);
    expect(report.errorRows).toBe(5);
    expect({ dossiers: await dossierCount(t), events: await eventCount(t) }).toEqual(before);
    expect(await t.ctx.db.selectFrom('imports').selectAll().execute()).toEqual([]);
  });

  it('rolls back rows already written when a bad row comes after them (all or nothing)', async () => {
    const t = await app();
    const before = {
      dossiers: await dossierCount(t),
      events: await eventCount(t),
      sequences: await t.ctx.db.selectFrom('code_sequences').selectAll().execute(),
    };
    // More good rows than one write batch, so some are inserted before the bad row is read.
    const good = Array.from(
      { length: 450 },
      (_, i) =>
        `${i + 1},,2.000200,,Trần Thị Bình,035190${String(100000 + i)},,Thôn 1,02/03/2026 ${String(8 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},,,,,,`,
    );
    const csv = [
      BOOK_HEADING,
      ...good,
      '451,,2.000200,,Lê Văn Cường,035090001235,,Thôn 2,03/03/2026 09:00,,01/03/2026,,,,',
    ].join('\n');
    const { importTrackingBook, findImportOffice } =
      await import('../../src/imports/imports.service.js');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = `${mkdtempSync(`${tmpdir()}/motcua-test-`)}/late-bad-row.csv`;
    writeFileSync(path, csv);
    const report = await importTrackingBook(
      t.ctx,
      await accountNamed(t.ctx, 'quantri'),
      { path, name: 'late-bad-row.csv' },
      await findImportOffice(t.ctx, { code: DISTRICT }),
    );
    expect(report).toMatchObject({ rows: 451, errorRows: 1, imported: 0, importId: null });
    expect(report.errors).toEqual([{ row: 452, messages: ['Ngày có kết quả trước ngày nhận.'] }]);
    expect({
      dossiers: await dossierCount(t),
      events: await eventCount(t),
      sequences: await t.ctx.db.selectFrom('code_sequences').selectAll().execute(),
    }).toEqual(before);
    expect(await t.ctx.db.selectFrom('imports').selectAll().execute()).toEqual([]);
  });

  it('adds nothing the second time the same file is imported', async () => {
    const t = await app();
    const admin = await loginAs(t.app, 'quantri');
    const csv = [
      BOOK_HEADING.replaceAll(',', ';'),
      '1;;2.000200;Cấp căn cước;Trần Thị Bình;035190001234;0912345678;"Thôn 1; xã Nhân Thịnh";09/03/2026 08:15;;;;;;',
      '2;;1.004194;Đăng ký tạm trú;Lê Văn Cường;035090001235;;Thôn 2;2026-03-02;;10/03/2026;11/03/2026;;;sổ cũ trang 4',
    ].join('\n');
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]); // BOM, semicolons
    const first = await checkAndImport(t, admin, file);
    expect(first.imported!.status).toBe(303);
    const afterFirst = {
      dossiers: await dossierCount(t),
      events: await eventCount(t),
      codes: await t.ctx.db.selectFrom('code_sequences').selectAll().execute(),
    };

    const second = await checkAndImport(t, admin, file);
    expect(second.checked.text).toContain('Mọi dòng của tệp đã được nhập trước đây');
    expect(second.checked.text).toMatch(/Đã nhập trước đây \(bỏ qua\)<\/dt><dd>2</);
    expect(second.imported).toBeNull();
    expect({
      dossiers: await dossierCount(t),
      events: await eventCount(t),
      codes: await t.ctx.db.selectFrom('code_sequences').selectAll().execute(),
    }).toEqual(afterFirst);

    // The service itself is idempotent too (a second run straight through the CLI path).
    const { importTrackingBook, findImportOffice } =
      await import('../../src/imports/imports.service.js');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = `${mkdtempSync(`${tmpdir()}/motcua-test-`)}/same.csv`;
    writeFileSync(path, file);
    const report = await importTrackingBook(
      t.ctx,
      await accountNamed(t.ctx, 'quantri'),
      { path, name: 'same.csv' },
      await findImportOffice(t.ctx, { code: DISTRICT }),
    );
    expect(report).toMatchObject({
      rows: 2,
      newRows: 0,
      alreadyImported: 2,
      imported: 0,
      errorRows: 0,
    });
    expect(await dossierCount(t)).toBe(afterFirst.dossiers);
  });

  it('reads the vehicle kind column, so old vehicle dossiers count as ô tô, mô tô or xe máy điện', async () => {
    const t = await app();
    const admin = await loginAs(t.app, 'quantri');
    const csv = [
      `${BOOK_HEADING},Loại xe,Biển số`,
      '1,,LOCAL-DKX-SANG,Đăng ký sang tên xe,Trần Thị Bình,035190001234,,Thôn 1,09/03/2026 08:15,,,,,,,Ô tô,90A-123.45',
      '2,,LOCAL-DKX-SANG,Đăng ký sang tên xe,Lê Văn Cường,035090001235,,Thôn 2,09/03/2026 09:15,,,,,,,"Mô tô, xe gắn máy",90-B1 123.45',
      '3,,LOCAL-DKX-SANG,Đăng ký sang tên xe,Lê Văn Dũng,035090001236,,Thôn 3,09/03/2026 10:15,,,,,,,xe máy điện',
      '4,,LOCAL-DKX-SANG,Đăng ký sang tên xe,Lê Văn Em,035090001237,,Thôn 4,09/03/2026 11:15,,,,,,,',
    ].join('\n');
    const { imported } = await checkAndImport(t, admin, csv);
    expect(imported!.status).toBe(303);
    const rows = await t.ctx.db
      .selectFrom('dossiers')
      .select(['applicant_name', 'vehicle_kind', 'report_group', 'vehicle_id'])
      .orderBy('received_at')
      .execute();
    expect(rows.map((r) => r.vehicle_id)).toEqual(['90A12345', '90B112345', null, null]);
    expect(rows.map((r) => [r.vehicle_kind, r.report_group])).toEqual([
      ['car', 'o_to'],
      ['motorbike', 'mo_to'],
      ['e_bike', 'xe_may_dien'],
      [null, 'dang_ky_xe'],
    ]);
    // And the export writes the column back.
    const lead = await loginAs(t.app, 'lanhdao');
    const exported = await lead.get(
      '/bao-cao/xuat/so-theo-doi.csv?period=custom&from=2026-03-01&to=2026-03-31&office=all',
    );
    expect(exported.text).toContain('Loại xe');
    expect(exported.text).toContain('Xe máy điện');
    expect(exported.text).toContain('Biển số');
    expect(exported.text).toContain('90-B1 123.45');
  });

  it('gives imported dossiers codes, appointments, outcomes and an "imported" event; they are found at the counter and, once a key is issued, by the citizen', async () => {
    const t = await app();
    const admin = await loginAs(t.app, 'quantri');
    const csv = [
      BOOK_HEADING,
      '1,,2.000200,,Trần Thị Bình,035190001234,0912345678,Thôn 1,09/03/2026 08:15,,17/03/2026,18/03/2026,,,',
      '2,000.00.13.H40-260309-0007,1.004194,,Lê Văn Cường,168123456,,Thôn 2,09/03/2026 09:00,,,,,,',
      '3,,1.004194,,Đỗ Thị Giang,035190001238,,Thôn 3,09/03/2026 10:00,,,,,,',
    ].join('\n');
    await checkAndImport(t, admin, csv, 'sổ cũ 2026.csv');
    const rows = await t.ctx.db
      .selectFrom('dossiers')
      .selectAll()
      .where('import_id', 'is not', null)
      .orderBy('received_at')
      .execute();
    expect(rows.map((r) => r.code)).toEqual([
      '000.00.13.H40-260309-0008',
      '000.00.13.H40-260309-0007',
      '000.00.13.H40-260309-0009',
    ]);
    expect(rows[0]).toMatchObject({
      status: 'returned',
      due_on: '2026-03-18',
      outcome: 'early',
      result_on: '2026-03-17',
      lookup_key_hash: null,
      applicant_name_folded: 'tran thi binh',
    });
    expect(rows[1]).toMatchObject({
      status: 'received',
      personal_id: '168123456',
      due_on: '2026-03-12',
    }); // 3 working days
    const quantri = await accountNamed(t.ctx, 'quantri');
    const events = await t.ctx.db
      .selectFrom('dossier_events')
      .selectAll()
      .where('dossier_id', '=', rows[0]!.id)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'imported',
      actor_account_id: quantri.id,
      actor_name: quantri.fullName,
      to_status: 'returned',
    });
    expect(JSON.parse(events[0]!.details)).toMatchObject({ file: 'sổ cũ 2026.csv', row: 2 });
    expect((await verifyChains(t.ctx.db)).broken).toEqual([]);
    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'dossiers.imported')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ file: 'sổ cũ 2026.csv', imported: 3 });
    // The page lists the run.
    expect((await admin.get('/quan-tri/nhap-so')).text).toContain('sổ cũ 2026.csv');

    // A code generated later at the counter for that day does not repeat an imported one.
    const { allocateDailySequence } =
      await import('../../src/dossiers/record/daily-numbers.repository.js');
    const office = await officeId(t);
    expect(
      await t.ctx.db.transaction().execute((tx) => allocateDailySequence(tx, office, '260309')),
    ).toBe(10);

    // Counter search by name without diacritics, and the dossier page.
    const officer = await loginAs(t.app, 'canbo');
    const search = await officer.get('/ho-so').query({ q: 'do thi giang' });
    expect(search.text).toContain('000.00.13.H40-260309-0009');
    const page = await officer.get('/ho-so/000.00.13.H40-260309-0008');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Nhập từ sổ theo dõi cũ');
    expect(page.text).toContain('chưa có mã tra cứu');
    expect(page.text).toContain('ngày hẹn được tính theo lịch làm việc khi nhập sổ');

    // The citizen: no key yet, so nothing; the officer issues one on request (API), then it works.
    t.clock.set('2026-03-20T03:00:00Z');
    const before = await request(t.app)
      .get('/api/v1/lookup')
      .query({ code: '000.00.13.H40-260309-0008', key: 'ABCDEF' });
    expect(before.status).toBe(404);
    const token = await (
      await import('../../src/accounts/accounts.service.js')
    ).issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'test', null);
    const issued = await request(t.app)
      .post('/api/v1/dossiers/000.00.13.H40-260309-0008/lookup-key')
      .set('Authorization', `Bearer ${token}`);
    expect(issued.status).toBe(200);
    const after = await request(t.app)
      .get('/api/v1/lookup')
      .query({ code: '000.00.13.H40-260309-0008', key: issued.body.lookup_key });
    expect(after.status).toBe(200);
    expect(after.body.dossier.status).toBe('returned');
  });

  it('reads an XLSX laid out by hand: heading in the first row, real date cells', async () => {
    const t = await app();
    const admin = await loginAs(t.app, 'quantri');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sổ 2025');
    sheet.addRow([
      'Mã thủ tục',
      'Họ và tên',
      'Số CCCD',
      'Địa chỉ',
      'Ngày tiếp nhận',
      'Ngày có kết quả',
      'Ngày trả kết quả',
    ]);
    sheet.addRow([
      '2.000200',
      { richText: [{ text: 'Nguyễn ' }, { text: 'Thị Hoa' }] },
      '035190001239',
      'Thôn 9',
      new Date(Date.UTC(2025, 10, 3, 8, 0)),
      new Date(Date.UTC(2025, 10, 10)),
      new Date(Date.UTC(2025, 10, 11, 15, 30)),
    ]);
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const { imported } = await checkAndImport(t, admin, file, 'so-2025.xlsx');
    expect(imported!.status).toBe(303);
    const row = await t.ctx.db
      .selectFrom('dossiers')
      .selectAll()
      .where('import_id', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      applicant_name: 'Nguyễn Thị Hoa',
      received_at: '2025-11-03T01:00:00.000Z',
      result_on: '2025-11-10',
      returned_at: '2025-11-11T08:30:00.000Z',
      status: 'returned',
      code: '000.00.13.H40-251103-0001',
    });
  });
});

describe('reading large files', () => {
  it('keeps every Vietnamese letter whole across read chunks (CSV, XLSX inline and shared strings)', async () => {
    const t = await app();
    const { checkTrackingBook, findImportOffice } =
      await import('../../src/imports/imports.service.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/motcua-utf8-`);
    const office = await findImportOffice(t.ctx, { code: DISTRICT });
    // Almost every byte belongs to a multi-byte letter, so chunk boundaries fall inside letters.
    const address = 'Ấp Ưởng Đặng Ữơ Ỡợ Ặẳ Ềễ Ồổ Ựừ '.repeat(8).trim();
    const rows = Array.from({ length: 2500 }, (_, i) => [
      '2.000200',
      'Đặng Thị Ưởng',
      `0351900${String(10000 + i).padStart(5, '0')}`,
      address,
      `0${1 + (i % 9)}/03/2026 ${String(7 + (i % 9)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
    ]);
    const heading = ['Mã thủ tục', 'Người nộp', 'Số định danh', 'Địa chỉ', 'Ngày nhận'];
    const csvPath = `${dir}/big.csv`;
    writeFileSync(csvPath, `\uFEFF${[heading, ...rows].map((r) => r.join(',')).join('\r\n')}`); // with a byte-order mark, as Excel writes
    const files = [csvPath];
    for (const useSharedStrings of [false, true]) {
      const file = `${dir}/big-${useSharedStrings}.xlsx`;
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings });
      const sheet = workbook.addWorksheet('Sổ');
      sheet.addRow(heading).commit();
      for (const r of rows) sheet.addRow(r).commit();
      sheet.commit();
      await workbook.commit();
      files.push(file);
    }
    for (const path of files) {
      const report = await checkTrackingBook(t.ctx, { path, name: path }, office);
      expect(report.errors.slice(0, 3), path).toEqual([]);
      expect(report).toMatchObject({ rows: 2500, newRows: 2500, errorRows: 0, fileErrors: [] });
    }
  });
});

describe('the import page', () => {
  it('is for administrators only', async () => {
    const t = await app();
    expect((await request(t.app).get('/quan-tri/nhap-so')).status).toBe(303);
    for (const user of ['canbo', 'lanhdao']) {
      const agent = await loginAs(t.app, user);
      expect((await agent.get('/quan-tri/nhap-so')).status).toBe(403);
      const res = await agent
        .post('/quan-tri/nhap-so/kiem-tra')
        .field('_csrf', await csrfOf(agent))
        .field('office_id', '1')
        .attach('file', Buffer.from(BOOK_HEADING), 'a.csv');
      expect(res.status).toBe(403);
    }
    const anonymous = await request(t.app)
      .post('/quan-tri/nhap-so/kiem-tra')
      .field('office_id', '1')
      .attach('file', Buffer.from(BOOK_HEADING), 'a.csv');
    expect([303, 403]).toContain(anonymous.status);
  });

  it('answers bad uploads with a clear Vietnamese message, never a 500', async () => {
    const t = await app();
    const admin = await loginAs(t.app, 'quantri');
    const token = await csrfOf(admin, '/quan-tri/nhap-so');
    // No CSRF token.
    expect(
      (
        await admin
          .post('/quan-tri/nhap-so/kiem-tra')
          .field('office_id', '1')
          .attach('file', Buffer.from(BOOK_HEADING), 'a.csv')
      ).status,
    ).toBe(403);
    // No file, no office, an unknown office.
    const noFile = await admin
      .post('/quan-tri/nhap-so/kiem-tra')
      .field('_csrf', token)
      .field('office_id', '');
    expect(noFile.status).toBe(422);
    expect(noFile.text).toContain('Chọn tệp CSV hoặc XLSX.');
    expect(noFile.text).toContain('Chọn đơn vị nhận hồ sơ.');
    const unknown = await admin
      .post('/quan-tri/nhap-so/kiem-tra')
      .field('_csrf', token)
      .field('office_id', '99999')
      .attach('file', Buffer.from(BOOK_HEADING), 'a.csv');
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Không có đơn vị này.');
    // Not a tracking book; a CSV saved in a Windows code page; an empty book; a broken XLSX.
    const cases: [Buffer, string, string][] = [
      [Buffer.from('a,b,c\n1,2,3\n'), 'x.csv', 'Không tìm thấy dòng tiêu đề'],
      [
        Buffer.from('M\xe3 th\xf9 t\xf9c,Ng\xf9\xf4i n\xf4p,Ng\xe0y nh\xe2n\n', 'latin1'),
        'cp1258.csv',
        'UTF-8',
      ],
      [Buffer.from(`${BOOK_HEADING}\n`), 'empty.csv', 'Tệp không có dòng dữ liệu nào.'],
      [
        Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]),
        'broken.xlsx',
        'Không đọc được tệp',
      ],
      [Buffer.from('"unterminated,quote\n'), 'quote.csv', 'Không đọc được tệp'],
    ];
    for (const [body, name, message] of cases) {
      const res = await check(t, admin, body, name);
      expect(res.status, name).toBe(422);
      expect(res.text, name).toContain(message);
    }
    // An upload id that was never issued (or already used).
    const gone = await admin
      .post('/quan-tri/nhap-so/0123456789abcdef01234567/nhap')
      .type('form')
      .send({ _csrf: token });
    expect(gone.status).toBe(410);
    expect(gone.text).toContain('Tệp đã kiểm tra không còn');
    expect(await dossierCount(t)).toBe(0);
  });

  it('refuses a file over the size limit', async () => {
    const t = await createTestApp({ env: { IMPORT_MAX_UPLOAD_MB: '1' } });
    apps.push(t);
    const admin = await loginAs(t.app, 'quantri');
    const res = await check(t, admin, Buffer.alloc(1024 * 1024 + 10, 'a'), 'big.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Tệp quá lớn (tối đa 1 MB).');
  });
});

/** Collects a binary response body (supertest buffers only text by default). */
const binary = ((res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];
