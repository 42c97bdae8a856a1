import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { performDossierAction } from '../../src/dossiers/workflow/workflow.service.js';
import { reportWindow } from '../../src/reports/reports.service.js';
import { countDossiersFromRows } from '../support/report-oracle.js';
import { accountNamed, documentIds, validIntake } from '../support/factories.js';
import { createTestApp, loginAs, type TestApp } from '../support/test-app.js';

/**
 * The report API, the page and both exports give the same figures, and those figures are the
 * row-by-row count of the dossiers (the oracle), on a random history filed through the real
 * services: every category of the article, vehicles of the three kinds among them.
 */
let t: TestApp;
let token: string;
const NINE = [
  'Căn cước',
  'Định danh điện tử',
  'Giấy chứng nhận đủ điều kiện về ANTT',
  'Phê duyệt theo phương án',
  'Đăng ký xe ô tô',
  'Đăng ký xe mô tô',
  'Đăng ký xe máy điện',
  'Đăng ký cư trú',
  'Đăng ký tạm trú',
];
const VEHICLES = [
  { procedure_code: 'LOCAL-DKX-OTO', vehicle_kind: 'car' },
  { procedure_code: 'LOCAL-DKX-MT', vehicle_kind: 'motorbike' },
  { procedure_code: 'LOCAL-DKX-XMD', vehicle_kind: 'e_bike' },
];
const OTHERS = ['2.000200', '1.004194', '1.004222', 'LOCAL-DDDT-02', 'LOCAL-ANTT-01'];

beforeAll(async () => {
  t = await createTestApp({ now: '2026-03-02T01:00:00Z' });
  token = await issueApiToken(
    t.ctx,
    (await accountNamed(t.ctx, 'lanhdao')).id,
    'report robot',
    null,
  );
  const officer = await accountNamed(t.ctx, 'canbo');
  let seed = 11;
  const random = (n: number) => Math.floor(((seed = (seed * 16807) % 2147483647) / 2147483647) * n);
  for (let i = 0; i < 40; i++) {
    t.clock.set(new Date(Date.parse('2026-03-02T01:00:00Z') + i * 11 * 3600_000));
    const vehicle = random(2) === 0 ? VEHICLES[random(3)]! : null;
    const procedure = vehicle ? vehicle.procedure_code : OTHERS[random(OTHERS.length)]!;
    const refuse = random(8) === 0;
    const result = await receiveDossier(
      t.ctx,
      officer,
      await validIntake(t.ctx, {
        procedure_code: procedure,
        documents: await documentIds(t.ctx, procedure),
        ...(vehicle
          ? {
              vehicle_kind: vehicle.vehicle_kind,
              vehicle_frame_no: `RLHJC52${String(100000000 + i)}`,
              vehicle_engine_no: `JC52E${1000000 + i}`,
              vehicle_brand: 'Honda',
              vehicle_colour: 'Đỏ',
            }
          : {}),
        receiving_channel: ['counter', 'counter', 'online', 'post'][random(4)],
        ...(refuse
          ? { outcome: 'refuse', refusal_reason: 'Không thuộc thẩm quyền giải quyết của đơn vị.' }
          : {}),
      }),
    );
    if (refuse) continue;
    const code = result.code!;
    const act = async (action: string, hours: number, body: Record<string, string> = {}) => {
      t.clock.set(new Date(t.clock.now().getTime() + hours * 3600_000));
      const { version } = await t.ctx.db
        .selectFrom('dossiers')
        .select('version')
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      await performDossierAction(t.ctx, officer, code, action as never, {
        version: String(version),
        ...body,
      });
    };
    const fate = random(6);
    await act('start_processing', 1);
    if (fate === 0)
      await act('refuse', 5, { reason: 'Hồ sơ giả mạo giấy tờ, chuyển cơ quan điều tra.' });
    else if (fate === 1)
      await act('reschedule', 2, {
        new_due_date: '2026-04-15',
        reason: 'Chờ kết quả xác minh từ cơ quan khác.',
      });
    else if (fate >= 2) {
      await act('mark_result_ready', 24 * random(12) + 2);
      if (fate >= 4) await act('return_result', 3, { returned_to: 'Nguyễn Văn An' });
    }
  }
  t.clock.set('2026-04-02T03:00:00Z');
});
afterAll(() => t.close());

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('one set of figures', () => {
  it("gives the period before the same headline figures as that period's own report", async () => {
    // The period before is read as totals per measure only, the period itself per office,
    // procedure and officer; both must agree. April is compared with March (whole months, the
    // monthly counters); the second half of March with the 16 days before it (daily counters
    // across two months).
    const summary = (from: string, to: string) =>
      request(t.app)
        .get(`/api/v1/reports/summary?from=${from}&to=${to}`)
        .set('authorization', `Bearer ${token}`);
    for (const [from, to] of [
      ['2026-04-01', '2026-04-30'],
      ['2026-03-16', '2026-03-31'],
      ['2026-03-10', '2026-03-25'],
    ] as const) {
      const report = await summary(from, to);
      expect(report.status).toBe(200);
      const previous = report.body.previous as { from: string; to: string; figures: object };
      const direct = await summary(previous.from, previous.to);
      expect(direct.status).toBe(200);
      expect(previous.figures, `${from}..${to}`).toEqual(direct.body.figures);
      expect((direct.body.figures as { received: number }).received).toBeGreaterThan(0);
    }
  });

  it('agrees between the API, the page, the CSV, the XLSX and the row-by-row count, with the nine categories as rows', async () => {
    const api = await request(t.app)
      .get('/api/v1/reports/summary?from=2026-03-01&to=2026-03-31')
      .set('authorization', `Bearer ${token}`);
    expect(api.status).toBe(200);
    const groups = api.body.by_report_group as {
      key: string;
      label: string;
      received: number;
      resolvedEarly: number;
      resolvedOnTime: number;
      resolvedLate: number;
      refused: number;
      resolved: number;
    }[];
    expect(groups.map((g) => g.label)).toEqual(NINE);
    expect(
      groups
        .filter((g) => ['o_to', 'mo_to', 'xe_may_dien'].includes(g.key))
        .reduce((n, g) => n + g.received, 0),
    ).toBeGreaterThan(0);

    // The oracle: one aggregation over the dossier rows.
    const offices = (await t.ctx.db.selectFrom('offices').select('id').execute()).map((o) => o.id);
    const w = reportWindow({ from: '2026-03-01', to: '2026-03-31' }, t.clock.now());
    const oracle = await countDossiersFromRows(t.ctx.db, offices, w, 'report_group');
    for (const g of groups) {
      const row = oracle.find((r) => r.key === g.key);
      expect({ key: g.key, received: g.received, late: g.resolvedLate }).toEqual({
        key: g.key,
        received: Number(row?.received ?? 0),
        late: Number(row?.resolvedLate ?? 0),
      });
    }
    const totalReceived = groups.reduce((n, g) => n + g.received, 0);
    expect(api.body.figures.received).toBe(totalReceived);
    expect(
      api.body.figures.receivedByChannel.counter +
        api.body.figures.receivedByChannel.online +
        api.body.figures.receivedByChannel.post,
    ).toBe(totalReceived);
    // Per channel and the fees, against the dossier rows: the counter's share is derived from
    // the counters (received less the other channels), the rest read from the dossiers beyond
    // the counter's plain case (migration 36).
    const accepted = await t.ctx.db
      .selectFrom('dossiers')
      .select(['receiving_channel', 'fee_vnd'])
      .where('intake_outcome', '=', 'accepted')
      .where('received_at', '>=', w.startIso)
      .where('received_at', '<', w.endIso)
      .execute();
    const byChannel = { counter: 0, online: 0, post: 0 };
    for (const d of accepted) byChannel[d.receiving_channel as keyof typeof byChannel] += 1;
    expect(api.body.figures.receivedByChannel).toEqual(byChannel);
    expect(byChannel.counter).toBeGreaterThan(0);
    expect(byChannel.online + byChannel.post).toBeGreaterThan(0);
    const fees = accepted.reduce((n, d) => n + Number(d.fee_vnd ?? 0), 0);
    expect(fees).toBeGreaterThan(0);
    expect(api.body.figures.feesCollected).toBe(fees);
    expect(api.body.figures.refusedAtIntake).toBe(
      Number(
        (
          await t.ctx.db
            .selectFrom('dossiers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('intake_outcome', '=', 'refused')
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
    expect(api.body.figures.apologyLetters).toBe(
      Number(
        (
          await t.ctx.db
            .selectFrom('dossiers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('rescheduled_due_on', 'is not', null)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );

    // The page: the same numbers in the table by report group.
    const agent = await loginAs(t.app, 'lanhdao');
    const page = await agent.get('/bao-cao?period=custom&from=01/03/2026&to=31/03/2026&office=all');
    const table = page.text.slice(
      page.text.indexOf('<caption>Theo nhóm thủ tục'),
      page.text.indexOf('<caption>Theo thủ tục'),
    );
    for (const g of groups) {
      const row = new RegExp(
        `<th scope="row">${g.label}</th>((?:<td class="num">[^<]*</td>)+)`,
      ).exec(table);
      expect(row, g.label).not.toBeNull();
      const cells = [...row![1]!.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
      expect(cells[1], `${g.label} received`).toBe(g.received.toLocaleString('vi-VN'));
    }
    expect(text(page.text)).toContain(`Hồ sơ tiếp nhận ${api.body.figures.received}`);

    // The CSV (what Excel opens) and the XLSX.
    const csv = await agent.get(
      '/bao-cao/xuat/tong-hop.csv?period=custom&from=2026-03-01&to=2026-03-31&office=all',
    );
    const rows: string[][] = parse(csv.text, { bom: true, relax_column_count: true });
    const header = rows.find((r) => r.includes('Tiếp nhận mới'))!;
    const receivedColumn = header.indexOf('Tiếp nhận mới');
    for (const g of groups)
      expect(rows.find((r) => r[0] === g.label)?.[receivedColumn], g.label).toBe(
        String(g.received),
      );
    // The headline figures travel with the export, this period beside the one before.
    expect(rows.find((r) => r[0] === 'Hồ sơ tiếp nhận')?.slice(1, 3)).toEqual([
      String(api.body.figures.received),
      String(api.body.previous.figures.received),
    ]);
    expect(rows.find((r) => r[0] === 'Văn bản xin lỗi đã phát hành')?.[1]).toBe(
      String(api.body.figures.apologyLetters),
    );
    const xlsx = await agent
      .get('/bao-cao/xuat/tong-hop.xlsx?period=custom&from=2026-03-01&to=2026-03-31&office=all')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    const sheetRows: unknown[][] = [];
    workbook.worksheets[0]!.eachRow((r) => sheetRows.push((r.values as unknown[]).slice(1)));
    for (const g of groups)
      expect(Number(sheetRows.find((r) => r[0] === g.label)?.[receivedColumn]), g.label).toBe(
        g.received,
      );
  });

  it('gives supervisors the deadline lists, refuses officers, and checks its query', async () => {
    const deadlines = await request(t.app)
      .get('/api/v1/reports/deadlines')
      .set('authorization', `Bearer ${token}`);
    expect(deadlines.status).toBe(200);
    expect(deadlines.body.overdue.total).toBe(deadlines.body.overdue.dossiers.length);
    const officer = await issueApiToken(
      t.ctx,
      (await accountNamed(t.ctx, 'canbo')).id,
      'counter',
      null,
    );
    expect(
      (
        await request(t.app)
          .get('/api/v1/reports/summary?from=2026-03-01&to=2026-03-31')
          .set('authorization', `Bearer ${officer}`)
      ).status,
    ).toBe(403);
    const bad = await request(t.app)
      .get('/api/v1/reports/summary?from=01/03/2026')
      .set('authorization', `Bearer ${token}`);
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(['from', 'to']));
    expect(
      (
        await request(t.app)
          .get('/api/v1/reports/summary?from=2026-03-01&to=2026-03-31&office=NOPE')
          .set('authorization', `Bearer ${token}`)
      ).body.error.fields.office,
    ).toBeTruthy();
    const one = await request(t.app)
      .get('/api/v1/reports/summary?from=2026-03-01&to=2026-03-31&office=000.00.13.H40')
      .set('authorization', `Bearer ${token}`);
    expect(one.body.scope.office).toBe('000.00.13.H40');
  });
});
