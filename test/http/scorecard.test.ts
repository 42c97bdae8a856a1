import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOfficerAt } from '../support/factories.js';
import { seedReportWeek } from '../support/scenarios.js';
import { createTestApp, loginAs, type TestApp } from '../support/test-app.js';

/**
 * The service-index scorecard (issue 34): the API and the page agree, the indicators the app
 * cannot know are "not measured here" with a reason (never a zero), every count opens the list
 * of dossiers it counts (same totals), and the pages are for supervisors of the office only.
 */
let t: TestApp;
const MARCH = 'from=2026-03-01&to=2026-03-31';

beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-27T02:00:00Z' });
});
afterEach(() => t.close());

interface ApiIndicator {
  code: string;
  group: string;
  name: string;
  measured: boolean;
  status: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  points: number | null;
  max_points: number;
  reason?: string;
}

describe('service index API', () => {
  it('answers every indicator; the unknowable ones carry a reason and no numbers', async () => {
    await seedReportWeek(t);
    const agent = await loginAs(t.app, 'lanhdao');
    const res = await agent.get(`/api/v1/reports/service-index?${MARCH}`);
    expect(res.status).toBe(200);
    const indicators = res.body.indicators as ApiIndicator[];
    expect(indicators.map((i) => i.max_points).reduce((a, b) => a + b, 0)).toBe(100);
    for (const i of indicators) {
      if (!i.measured) {
        expect(i.reason, i.code).toMatch(/\S/);
        expect([i.numerator, i.denominator, i.value, i.points]).toEqual([null, null, null, null]);
      } else {
        expect(i.numerator! <= i.denominator!, i.code).toBe(true);
        if (i.denominator === 0) expect([i.value, i.points]).toEqual([null, null]);
        else expect(i.value).toBeCloseTo(i.numerator! / i.denominator!, 10);
      }
    }
    const onTime = indicators.find((i) => i.code === 'on_time')!;
    expect(onTime.denominator).toBeGreaterThan(0);
    expect(res.body.period).toEqual({ from: '2026-03-01', to: '2026-03-31', kind: 'month' });
    expect(res.body.previous.period).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
      kind: 'month',
    });
    const measured = indicators.filter((i) => i.status === 'scored');
    expect(res.body.total.points).toBeCloseTo(
      measured.reduce((a, i) => a + i.points!, 0),
      2,
    );
    expect(res.body.total.max_points_measured).toBe(measured.reduce((a, i) => a + i.max_points, 0));
  });

  it('rejects bad dates and unknown offices with field errors (422), officers with 403', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    for (const [query, field] of [
      ['from=2026-13-01&to=2026-12-31', 'from'],
      ['from=2026-03-10&to=2026-03-01', 'to'],
      ['from=2025-01-01&to=2026-03-01', 'to'],
      ['to=2026-03-01', 'from'],
      [`${MARCH}&office=NOPE`, 'office'],
    ] as const) {
      const res = await agent.get(`/api/v1/reports/service-index?${query}`);
      expect(res.status, query).toBe(422);
      expect(Object.keys(res.body.error.fields), query).toContain(field);
    }
    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get(`/api/v1/reports/service-index?${MARCH}`)).status).toBe(403);
  });
});

describe('service index page', () => {
  it('shows the scorecard with the period before, and each count opens its dossiers', async () => {
    await seedReportWeek(t);
    const agent = await loginAs(t.app, 'lanhdao');
    const api = (await agent.get(`/api/v1/reports/service-index?${MARCH}`)).body;
    const page = await agent.get('/bao-cao/chi-so?kind=month&year=2026&n=3');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Tháng 3/2026');
    expect(page.text).toContain('Tháng 2/2026');
    expect(page.text).not.toMatch(/NaN|undefined|\[object/);
    for (const i of api.indicators as ApiIndicator[]) {
      const row = page.text.split(`data-indicator="${i.code}"`)[1]!.split('</tr>')[0]!;
      if (!i.measured) {
        expect(row).toContain('Không đo được tại đây');
        expect(row).toContain(i.reason!.slice(0, 30));
      }
    }
    const listed = [
      'on_time',
      'online_filed',
      'digitised',
      'reused',
      'electronic_result',
      'payment_dossiers',
      'satisfaction',
    ];
    for (const code of listed) {
      const i = (api.indicators as ApiIndicator[]).find((x) => x.code === code)!;
      const total = async (side: string) => {
        const res = await agent.get(
          `/bao-cao/chi-so/${code}/${side}?kind=month&year=2026&n=3&office=all`,
        );
        expect(res.status).toBe(200);
        return Number(/data-total>([\d.]+)</.exec(res.text)![1]!.replace(/\./g, ''));
      };
      expect(await total('numerator'), code).toBe(i.numerator);
      expect(await total('denominator'), code).toBe(i.denominator);
      expect(await total('excluded'), code).toBe(i.denominator! - i.numerator!);
    }
    // Offices ranked: each office's dossier counts add up to the scope's.
    const ranking = page.text.split('class="data office-ranking"')[1]!.split('</table>')[0]!;
    const offices = [...ranking.matchAll(/data-office="([^"]+)"/g)].map((m) => m[1]!);
    expect(offices.length).toBeGreaterThan(1);
    for (const code of listed) {
      const cells = [
        ...ranking.matchAll(new RegExp(`data-code="${code}" data-numerator="(\\d+)"`, 'g')),
      ];
      expect(cells.length, code).toBe(offices.length);
      const i = (api.indicators as ApiIndicator[]).find((x) => x.code === code)!;
      expect(
        cells.reduce((a, m) => a + Number(m[1]), 0),
        code,
      ).toBe(i.numerator);
    }
  });

  it('keeps a bad filter visible (422), rejects bad lists, and is for supervisors of the office', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    const bad = await agent.get('/bao-cao/chi-so?kind=month&year=2026&n=13');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Tháng không hợp lệ');
    expect((await agent.get('/bao-cao/chi-so?kind=week')).status).toBe(422);
    // A period still to come is not scored (today's open dossiers gave it points): the page says
    // so and shows this month. The clock stands at 10 March 2026.
    for (const [query, label] of [
      ['kind=month&n=4&year=2026', 'Tháng 4/2026'],
      ['kind=quarter&n=2&year=2026', 'Quý 2/2026'],
      ['kind=year&year=2027', 'Năm 2027'],
    ] as const) {
      const future = await agent.get(`/bao-cao/chi-so?${query}`);
      expect(future.status, query).toBe(422);
      expect(future.text).toContain(`${label} chưa bắt đầu`);
      expect(future.text).toContain('Tháng 3/2026');
      expect((await agent.get(`/bao-cao/xuat/chi-so.csv?${query}`)).status, query).toBe(422);
    }
    for (const query of ['kind=month&n=3&year=2026', 'kind=quarter&n=1&year=2026', 'kind=year'])
      expect((await agent.get(`/bao-cao/chi-so?${query}`)).status, query).toBe(200);
    expect((await agent.get('/bao-cao/chi-so?rank=publication')).status).toBe(422);
    expect((await agent.get('/bao-cao/chi-so/publication/numerator')).status).toBe(422);
    expect((await agent.get('/bao-cao/chi-so/on_time/sideways')).status).toBe(422);
    expect((await agent.get('/bao-cao/chi-so/on_time/numerator?page=0')).status).toBe(422);
    expect((await agent.get('/bao-cao/chi-so/on_time/numerator?office=x')).status).toBe(422);

    await createOfficerAt(t.ctx, '000.12.13.H40', 'lanhdao_xa');
    await t.ctx.db
      .updateTable('accounts')
      .set({ role: 'supervisor' })
      .where('username', '=', 'lanhdao_xa')
      .execute();
    const district = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const communeChief = await loginAs(t.app, 'lanhdao_xa');
    expect((await communeChief.get(`/bao-cao/chi-so?office=${district.id}`)).status).toBe(403);
    expect(
      (await communeChief.get(`/bao-cao/chi-so/on_time/numerator?office=${district.id}`)).status,
    ).toBe(403);
    expect((await communeChief.get('/bao-cao/chi-so')).status).toBe(200);
    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get('/bao-cao/chi-so')).status).toBe(403);
    expect((await request(t.app).get('/bao-cao/chi-so')).status).toBe(303);
  });
});

describe('service index exports', () => {
  it("carry the page's numbers in CSV and XLSX, and the page prints with header and signatures", async () => {
    await seedReportWeek(t);
    const agent = await loginAs(t.app, 'lanhdao');
    const api = (await agent.get(`/api/v1/reports/service-index?${MARCH}`)).body;
    const query = 'kind=month&year=2026&n=3&office=all';
    const csv = await agent.get(`/bao-cao/xuat/chi-so.csv?${query}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse(csv.text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    const xlsx = await agent
      .get(`/bao-cao/xuat/chi-so.xlsx?${query}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    for (const i of api.indicators as ApiIndicator[]) {
      const row = rows.find((r) => r[0] === i.code)!;
      const cells = sheet.getColumn(1).values.indexOf(i.code);
      const xrow = sheet.getRow(cells).values as unknown[];
      if (i.measured) {
        expect([Number(row[3]), Number(row[4])], i.code).toEqual([i.numerator, i.denominator]);
        expect([xrow[4], xrow[5]], i.code).toEqual([i.numerator, i.denominator]);
      } else {
        expect([row[3], row[4]], i.code).toEqual(['', '']);
        expect(row[13]).toBe(i.reason);
      }
    }
    const page = await agent.get(`/bao-cao/chi-so?${query}`);
    expect(page.text).toContain('BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP');
    expect(page.text).toContain('LÃNH ĐẠO ĐƠN VỊ');
    expect((await agent.get(`/bao-cao/xuat/chi-so.pdf?${query}`)).status).toBe(404);
    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get(`/bao-cao/xuat/chi-so.csv?${query}`)).status).toBe(403);
  });
});

describe('service index trends', () => {
  it("charts each measured indicator over twelve months, the month's bar with the month's counts", async () => {
    await seedReportWeek(t);
    const agent = await loginAs(t.app, 'lanhdao');
    const api = (await agent.get(`/api/v1/reports/service-index?${MARCH}`)).body;
    const res = await agent.get('/bao-cao/chi-so/xu-huong?kind=quarter&year=2026&n=1&office=all');
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/NaN|undefined|\[object/);
    const measured = (api.indicators as ApiIndicator[]).filter((i) => i.measured);
    for (const i of measured) {
      const figure = res.text.split(`data-trend="${i.code}"`)[1]!.split('</figure>')[0]!;
      expect(figure.match(/<text [^>]*text-anchor="middle">\d\d<\/text>/g), i.code).toHaveLength(
        12,
      );
      if (i.denominator) expect(figure, i.code).toContain(`(${i.numerator}/${i.denominator})`);
    }
    expect((await agent.get('/bao-cao/chi-so/xu-huong?kind=month&n=0')).status).toBe(422);
    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get('/bao-cao/chi-so/xu-huong')).status).toBe(403);
  });
});
