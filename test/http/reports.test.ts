import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOfficerAt } from '../support/factories.js';
import { seedReportWeek } from '../support/scenarios.js';
import { createTestApp, loginAs, type TestApp } from '../support/test-app.js';

let t: TestApp;
const seedWeek = () => seedReportWeek(t);

const PERIOD = 'period=custom&from=2026-03-09&to=2026-03-13';

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

function numbersOf(html: string, caption: string): string[][] {
  const table = html.split(`<caption>${caption}</caption>`)[1]!.split('</table>')[0]!;
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.trim()),
  );
}

describe('report page', () => {
  it('lists, for a period that has ended, what was overdue at its end: the same number its counter shows', async () => {
    await seedWeek();
    t.clock.set('2026-03-27T02:00:00Z'); // two weeks on: some of those dossiers were resolved since
    const agent = await loginAs(t.app, 'lanhdao');
    const res = await agent.get(`/bao-cao?${PERIOD}`);
    const counter = /<strong>(\d+)<\/strong> đang quá hạn/.exec(res.text)![1];
    const heading = /Hồ sơ quá hạn tại thời điểm cuối kỳ \((\d+)\)/.exec(res.text);
    expect(heading, 'a past period lists overdue as of its end').not.toBeNull();
    expect(heading![1]).toBe(counter);
    expect(Number(counter)).toBeGreaterThan(0);
    const list = res.text.split('id="qua-han"')[1]!.split('</table>')[0]!;
    expect((list.match(/<tr>\s*<td><a href="\/ho-so\//g) ?? []).length).toBe(Number(counter));
    // This month's report still lists what is overdue now, and what falls due soon.
    const now = await agent.get('/bao-cao?period=month');
    expect(now.text).toContain('Hồ sơ đang quá hạn (');
    expect(now.text).toContain('Đến hạn trong 2 ngày làm việc tới');
  });

  it('offers last month, read as a period that has ended', async () => {
    await seedWeek();
    t.clock.set('2026-04-01T01:00:00Z'); // 08:00 on 1 April in Vietnam
    const agent = await loginAs(t.app, 'lanhdao');
    const res = await agent.get('/bao-cao?period=last_month');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<option value="last_month" selected>Tháng trước</option>');
    expect(res.text).toContain('Từ 01/03/2026 đến 31/03/2026');
    expect(res.text).toContain('Hồ sơ quá hạn tại thời điểm cuối kỳ (');
    // The same counts as the same days asked for one by one.
    const custom = await agent.get('/bao-cao?period=custom&from=01/03/2026&to=31/03/2026');
    const table = (html: string) => numbersOf(html, 'Theo nhóm thủ tục');
    expect(table(res.text)).toEqual(table(custom.text));
    expect(Number(table(res.text).at(-1)![2])).toBeGreaterThan(0);
    // The exports and the tracking book keep the period.
    expect(res.text).toContain('/bao-cao/xuat/tong-hop.csv?period=last_month&amp;from=2026-03-01');
  });

  it('counts exactly across offices, procedures, outcomes and the 17:00 UTC day boundary', async () => {
    await seedWeek();
    const agent = await loginAs(t.app, 'lanhdao');
    const res = await agent.get(`/bao-cao?${PERIOD}`);
    expect(res.status).toBe(200);
    const groups = numbersOf(res.text, 'Theo nhóm thủ tục');
    const header = groups[0]!;
    const total = groups.at(-1)!;
    const col = (name: string) => total[header.indexOf(name)];
    expect(total[0]).toBe('Tổng cộng');
    expect({
      carriedOver: col('Kỳ trước chuyển sang'),
      received: col('Tiếp nhận mới'),
      early: col('Giải quyết trước hạn'),
      onTime: col('Giải quyết đúng hạn'),
      late: col('Giải quyết quá hạn'),
      refused: col('Từ chối'),
      guided: col('Hướng dẫn bổ sung (chưa tiếp nhận)'),
      withdrawn: col('Rút / dừng giải quyết'),
      within: col('Đang giải quyết trong hạn'),
      overdue: col('Đang giải quyết quá hạn'),
      supplement: col('Chờ bổ sung'),
      pickup: col('Chờ trả kết quả'),
      rate: col('Tỷ lệ trước và đúng hạn'),
    }).toEqual({
      carriedOver: '3',
      received: '5',
      early: '1',
      onTime: '1',
      late: '1',
      refused: '1',
      guided: '1',
      withdrawn: '1',
      within: '1',
      overdue: '1',
      supplement: '1',
      pickup: '3',
      rate: '66,7 %',
    });
    const row = (name: string) => groups.find((r) => r[0] === name)!;
    expect(row('Đăng ký tạm trú').slice(1, 3)).toEqual(['1', '4']);
    expect(row('Căn cước').slice(1, 3)).toEqual(['1', '1']);
    expect(row('Định danh điện tử').slice(1, 3)).toEqual(['0', '0']); // every group listed
    const offices = numbersOf(res.text, 'Theo đơn vị');
    expect(
      offices.find((r) => r[0] === 'Phòng Cảnh sát QLHC về TTXH – Công an tỉnh Ninh Bình')![2],
    ).toBe('2');
    expect(offices.find((r) => r[0] === 'Công an xã Hòa Hậu (minh họa)')![2]).toBe('3');
    const satisfaction = res.text.split('Mức độ hài lòng</h2>')[1]!;
    expect(satisfaction).toMatch(/Hài lòng<\/th><td class="num">1</);
    expect(res.text).toContain('<svg class="chart"');
  });

  it('lists overdue dossiers and those due in the next two working days', async () => {
    await seedWeek();
    t.clock.set('2026-03-12T02:00:00Z'); // Thu 12: D5 due today 17:00 (soon), D10 already resolved
    const agent = await loginAs(t.app, 'lanhdao');
    const res = await agent.get('/bao-cao');
    const soon = res.text.split('id="sap-den-han"')[1]!;
    expect(soon).toContain('000.12.13.H40-260309-0001');
  });

  it('shows the 100 oldest overdue dossiers and counts them all', async () => {
    await seedWeek();
    // 150 copies of an open dossier, due one minute apart, well before "now".
    const model = await t.ctx.db
      .selectFrom('dossiers')
      .selectAll()
      .where('status', '=', 'received')
      .where('intake_outcome', '=', 'accepted')
      .executeTakeFirstOrThrow();
    const { id: _id, code: _code, form_token: _token, import_key: _key, ...rest } = model;
    for (let i = 0; i < 150; i++) {
      const due = new Date(Date.parse('2026-03-01T10:00:00Z') + i * 60_000).toISOString();
      await t.ctx.db
        .insertInto('dossiers')
        .values({
          ...rest,
          code: `TEST-${String(i).padStart(3, '0')}`,
          due_at: due,
          rescheduled_due_at: null,
          applicant_name: `Người ${i}`,
        })
        .execute();
    }
    const agent = await loginAs(t.app, 'lanhdao');
    const res = await agent.get('/bao-cao');
    const overdue = res.text.split('id="qua-han"')[0]!.length
      ? res.text.split('id="qua-han"')[1]!.split('id="sap-den-han"')[0]!
      : '';
    const total = Number(/Hồ sơ đang quá hạn \((\d+)\)/.exec(res.text)![1]);
    expect(total).toBeGreaterThanOrEqual(150);
    expect(overdue.match(/<tr>/g)!.length - 1).toBe(100); // the header row, then 100 dossiers
    expect(overdue).toContain('TEST-000'); // the oldest first
    expect(overdue).not.toContain('TEST-149');
    expect(overdue).toContain(`Đang hiện 100 trên ${total} hồ sơ`);
  });

  it('is closed to officers (403) and to a supervisor of another office', async () => {
    await createOfficerAt(t.ctx, '000.12.13.H40', 'lanhdao_xa');
    await t.ctx.db
      .updateTable('accounts')
      .set({ role: 'supervisor' })
      .where('username', '=', 'lanhdao_xa')
      .execute();
    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get('/bao-cao')).status).toBe(403);
    expect((await officer.get(`/bao-cao/xuat/so-theo-doi.csv?${PERIOD}`)).status).toBe(403);
    const communeChief = await loginAs(t.app, 'lanhdao_xa');
    const district = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    expect((await communeChief.get(`/bao-cao?office=${district.id}`)).status).toBe(403);
    expect(
      (await communeChief.get(`/bao-cao/xuat/tong-hop.csv?office=${district.id}`)).status,
    ).toBe(403);
    const own = await communeChief.get('/bao-cao');
    expect(own.status).toBe(200);
    expect(own.text).not.toContain('<option value="' + district.id + '"');
    expect((await request(t.app).get('/bao-cao')).status).toBe(303);
  });

  it('marks a bad filter and still shows a report (422)', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    const res = await agent.get('/bao-cao?period=custom&from=2026-03-10&to=2026-02-01');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Ngày kết thúc phải sau ngày bắt đầu.');
    expect((await agent.get('/bao-cao?period=yearly')).status).toBe(422);
    expect((await agent.get('/bao-cao?office=abc')).status).toBe(422);
  });
});

describe('exports', () => {
  it('CSV starts with the byte-order mark and round-trips with diacritics intact; totals equal the page', async () => {
    await seedWeek();
    const agent = await loginAs(t.app, 'lanhdao');
    const page = await agent.get(`/bao-cao?${PERIOD}`);
    const pageTotal = numbersOf(page.text, 'Theo nhóm thủ tục').at(-1)!;
    const res = await agent
      .get(`/bao-cao/xuat/tong-hop.csv?${PERIOD}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(
      'bao-cao_tat-ca-don-vi_2026-03-09_2026-03-13.csv',
    );
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes, { bom: true, relax_column_count: true });
    expect(rows[0]).toEqual(['Báo cáo tình hình tiếp nhận, giải quyết hồ sơ']);
    expect(rows[1]![1]).toContain('Phòng Cảnh sát QLHC về TTXH – Công an tỉnh Ninh Bình');
    expect(rows[2]).toEqual(['Từ ngày', '09/03/2026']);
    const totalRow = rows.find((r) => r[0] === 'Tổng cộng')!;
    expect(totalRow.slice(1, 13)).toEqual(pageTotal.slice(1, 13));
    for (const category of ['Đăng ký xe ô tô', 'Đăng ký xe mô tô', 'Đăng ký xe máy điện'])
      expect(
        rows.some((r) => r[0] === category),
        category,
      ).toBe(true);
    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'actor_username'])
      .where('action', 'like', 'export.%')
      .execute();
    expect(audit).toEqual([{ action: 'export.summary.csv', actor_username: 'lanhdao' }]);
  });

  it('XLSX opens with exceljs and its totals equal the page', async () => {
    await seedWeek();
    const agent = await loginAs(t.app, 'lanhdao');
    const page = await agent.get(`/bao-cao?${PERIOD}`);
    const pageTotal = numbersOf(page.text, 'Theo nhóm thủ tục').at(-1)!;
    const res = await agent.get(`/bao-cao/xuat/tong-hop.xlsx?${PERIOD}`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as ArrayBuffer);
    const sheet = book.getWorksheet('Báo cáo')!;
    let totals: unknown[] | null = null;
    sheet.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1);
      if (values[0] === 'Tổng cộng' && !totals) totals = values;
    });
    expect(totals).not.toBeNull();
    expect((totals as unknown as unknown[]).slice(1, 13).map(String)).toEqual(
      pageTotal.slice(1, 13),
    );
  });

  it('streams the tracking book: CSV and XLSX with one row per dossier, dates as dates', async () => {
    await seedWeek();
    const agent = await loginAs(t.app, 'lanhdao');
    const csv = await agent.get(`/bao-cao/xuat/so-theo-doi.csv?${PERIOD}`);
    const rows: string[][] = parse(csv.text, { bom: true, relax_column_count: true });
    const header = rows.findIndex((r) => r[0] === 'STT');
    const data = rows.slice(header + 1);
    expect(data).toHaveLength(5);
    expect(data[0]![1]).toBe('000.00.13.H40-260309-0001');
    expect(data[0]![10]).toBe('23:59 09/03/2026');
    expect(data.map((r) => r[5])).toContain('Nguyễn Văn An');

    const xlsx = await agent
      .get(`/bao-cao/xuat/so-theo-doi.xlsx?${PERIOD}`)
      .buffer(true)
      .parse(binary);
    expect(xlsx.headers['content-disposition']).toContain(
      'so-theo-doi_tat-ca-don-vi_2026-03-09_2026-03-13.xlsx',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = book.getWorksheet('Sổ theo dõi hồ sơ')!;
    let headerRow = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === 'STT') headerRow = n;
    });
    expect(sheet.rowCount - headerRow).toBe(5);
    const received = sheet.getRow(headerRow + 1).getCell(11).value;
    expect(received).toBeInstanceOf(Date);
    // The procedure, the office and the status come from the book's shared strings; they read
    // back as the CSV's text.
    const first = sheet.getRow(headerRow + 1);
    expect([3, 4, 10, 17].map((c) => first.getCell(c).value)).toEqual(
      [2, 3, 9, 16].map((c) => data[0]![c]),
    );
    expect(xlsx.body.includes(Buffer.from('xl/sharedStrings.xml'))).toBe(true);
    expect((received as Date).toISOString()).toBe('2026-03-09T23:59:59.000Z'); // local wall clock
    const actions = await t.ctx.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'export.%')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'export.tracking_book.csv',
      'export.tracking_book.csv.finished',
      'export.tracking_book.xlsx',
      'export.tracking_book.xlsx.finished',
    ]);
  });
});

describe('tracking book export over many pages', () => {
  it('lists every dossier once, in receipt order, across pages with equal receipt times, in CSV and XLSX', async () => {
    const office = await t.ctx.db
      .selectFrom('offices')
      .select(['id', 'name'])
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const procedure = await t.ctx.db
      .selectFrom('procedures')
      .select(['id', 'code', 'name', 'report_group'])
      .where('code', '=', '2.000200')
      .executeTakeFirstOrThrow();
    const officer = await t.ctx.db
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', 'canbo')
      .executeTakeFirstOrThrow();
    // 2,600 dossiers, ten at each receipt instant (the keyset must break ties by id), with
    // text that XML and CSV must escape.
    const total = 2600;
    await t.ctx.db.transaction().execute(async (tx) => {
      for (let i = 0; i < total; i++) {
        const at = new Date(
          Date.parse('2026-03-09T01:00:00Z') + Math.floor(i / 10) * 60_000,
        ).toISOString();
        await tx
          .insertInto('dossiers')
          .values({
            code: `SO-${String(i).padStart(5, '0')}`,
            office_id: office.id,
            procedure_id: procedure.id,
            procedure_code: procedure.code,
            procedure_name: procedure.name,
            report_group: procedure.report_group,
            processing_days: 7,
            intake_outcome: 'accepted',
            status: 'received',
            applicant_name: `Trần Thị Ánh ${i}`,
            applicant_name_folded: `tran thi anh ${i}`,
            address: 'Số 5 <ngõ> "Hòa" & Bình, Lý Nhân',
            note: i === 7 ? '=1+2' : '',
            received_at: at,
            received_on: '2026-03-09',
            received_by: officer.id,
            due_at: '2026-03-18T10:00:00.000Z',
            due_on: '2026-03-18',
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
    });
    const agent = await loginAs(t.app, 'lanhdao');
    const range = `period=custom&from=2026-03-09&to=2026-03-09&office=${office.id}`;
    const csv = await agent.get(`/bao-cao/xuat/so-theo-doi.csv?${range}`);
    const rows: string[][] = parse(csv.text, { bom: true, relax_column_count: true });
    const data = rows.slice(rows.findIndex((r) => r[0] === 'STT') + 1);
    const expected = Array.from({ length: total }, (_, i) => `SO-${String(i).padStart(5, '0')}`);
    expect(data.map((r) => r[1])).toEqual(expected);
    expect(data.map((r) => r[0])).toEqual(expected.map((_, i) => String(i + 1)));
    expect(data[0]![7]).toBe('Số 5 <ngõ> "Hòa" & Bình, Lý Nhân');
    expect(data[7]![19]).toBe("'=1+2"); // never a formula in Excel
    expect(data[2599]![5]).toBe('Trần Thị Ánh 2599');

    const xlsx = await agent
      .get(`/bao-cao/xuat/so-theo-doi.xlsx?${range}`)
      .buffer(true)
      .parse(binary);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = book.getWorksheet('Sổ theo dõi hồ sơ')!;
    const codes: string[] = [];
    let headerRow = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === 'STT') headerRow = n;
      else if (headerRow) codes.push(String(row.getCell(2).value));
    });
    expect(codes).toEqual(expected);
    expect(sheet.getRow(headerRow).getCell(2).font?.bold).toBe(true);
    expect(sheet.getRow(headerRow + 1).getCell(8).value).toBe('Số 5 <ngõ> "Hòa" & Bình, Lý Nhân');
    expect(sheet.getRow(headerRow + 8).getCell(20).value).toBe('=1+2'); // text, not a formula
    const received = sheet.getRow(headerRow + 1).getCell(11);
    expect((received.value as Date).toISOString()).toBe('2026-03-09T08:00:00.000Z'); // 08:00 local
    expect(received.numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(sheet.getRow(headerRow + total).getCell(1).value).toBe(total);
  });
});

/** Collects a binary response body (supertest buffers only text by default). */
const binary = ((res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];
