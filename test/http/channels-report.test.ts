import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { receiveDossier } from '../../src/dossiers/intake/index.js';
import { accountNamed, createOfficerAt, validIntake } from '../support/factories.js';
import { createTestApp, loginAs, type TestApp } from '../support/test-app.js';

/**
 * The report's channels section (issue 32) from a known history, with figures computed by hand,
 * on the page, the summary's CSV and XLSX, and the API.
 *
 * March 2026, district office 000.00.13.H40 (receiving → return):
 *   D1 counter → counter, D2 counter → counter, D3 counter → post, D4 post → post,
 *   D5 online → counter.
 * Commune 000.11.13.H40: D6 online → post.
 * Each intake wrote one portal sync row at 09:00 on 10 March. Sent after (seconds):
 *   district 1, 3, 10, 30 and one not sent (its stream failing); commune 5.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
});
afterEach(() => t.close());

const PERIOD = 'period=custom&from=01/03/2026&to=31/03/2026&office=all';
const binary = ((res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];

async function seed() {
  await createOfficerAt(t.ctx, '000.11.13.H40', 'xa1');
  const canbo = await accountNamed(t.ctx, 'canbo');
  const xa1 = await accountNamed(t.ctx, 'xa1');
  const ids: number[] = [];
  const take = async (
    who: typeof canbo,
    receiving_channel: string,
    return_channel: string,
    n: number,
  ) => {
    const r = await receiveDossier(
      t.ctx,
      who,
      await validIntake(t.ctx, {
        receiving_channel,
        return_channel,
        personal_id: `03509000${String(1230 + n).padStart(4, '0')}`,
      }),
    );
    ids.push(r.dossierId!);
  };
  await take(canbo, 'counter', 'counter', 1);
  await take(canbo, 'counter', 'counter', 2);
  await take(canbo, 'counter', 'post', 3);
  await take(canbo, 'post', 'post', 4);
  await take(canbo, 'online', 'counter', 5);
  await take(xa1, 'online', 'post', 6);
  const lags = [1, 3, 10, 30, null, 5];
  for (const [i, id] of ids.entries()) {
    const stream = await t.ctx.db
      .selectFrom('portal_sync_streams')
      .select('id')
      .where('dossier_id', '=', id)
      .executeTakeFirstOrThrow();
    const lag = lags[i]!;
    await t.ctx.db
      .updateTable('portal_sync_rows')
      .set({
        sent_at:
          lag === null
            ? null
            : new Date(Date.parse('2026-03-10T02:00:00Z') + lag * 1000).toISOString(),
      })
      .where('stream_id', '=', stream.id)
      .execute();
    if (lag === null)
      await t.ctx.db
        .updateTable('portal_sync_streams')
        .set({ state: 'failing', failing_since: '2026-03-10T02:00:05.000Z' })
        .where('id', '=', stream.id)
        .execute();
  }
}

describe('the channels section of the report', () => {
  it('counts by receiving and return channel, the online share and the sync lag per office', async () => {
    await seed();
    const lanhdao = await accountNamed(t.ctx, 'lanhdao');
    const token = await issueApiToken(t.ctx, lanhdao.id, 'r', null);
    const api = await request(t.app)
      .get('/api/v1/reports/summary?from=2026-03-01&to=2026-03-31')
      .set('authorization', `Bearer ${token}`);
    expect(api.status).toBe(200);
    expect(api.body.channels).toEqual({
      by_office: [
        {
          office: '000.00.13.H40',
          received: 5,
          receiving: { counter: 3, online: 1, post: 1 },
          returning: { counter: 3, post: 2, online: 0 },
          online_share: 0.2,
          // Lags 1, 3, 10, 30: median (3 + 10) / 2; 90th at rank 2.7: 10 + 0.7 × 20.
          sync: {
            changes: 5,
            sent: 4,
            unsent: 1,
            median_seconds: 6.5,
            p90_seconds: 24,
            failing: 1,
          },
        },
        {
          office: '000.11.13.H40',
          received: 1,
          receiving: { counter: 0, online: 1, post: 0 },
          returning: { counter: 0, post: 1, online: 0 },
          online_share: 1,
          sync: { changes: 1, sent: 1, unsent: 0, median_seconds: 5, p90_seconds: 5, failing: 0 },
        },
      ],
      totals: {
        received: 6,
        receiving: { counter: 3, online: 2, post: 1 },
        returning: { counter: 3, post: 3, online: 0 },
        online_share: 2 / 6,
        // Lags 1, 3, 5, 10, 30: median 5; 90th at rank 3.6: 10 + 0.6 × 20.
        sync: { changes: 6, sent: 5, unsent: 1, median_seconds: 5, p90_seconds: 22, failing: 1 },
      },
    });

    const boss = await loginAs(t.app, 'lanhdao');
    const page = await boss.get(`/bao-cao?${PERIOD}`);
    expect(page.status).toBe(200);
    const table = (key: string) =>
      new RegExp(`data-table="${key}"[\\s\\S]*?</table>`).exec(page.text)![0];
    expect(table('channels-receiving')).toContain(
      '<tfoot><tr><th scope="row">Tổng cộng</th><td class="num">3</td><td class="num">2</td><td class="num">1</td><td class="num">6</td><td class="num">33,3 %</td>',
    );
    expect(table('channels-sync-lag')).toContain(
      '<td class="num">6,5 giây</td><td class="num">24 giây</td>',
    );

    const csv = await boss.get(`/bao-cao/xuat/tong-hop.csv?${PERIOD}`);
    const rows = parse(csv.text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    const tableOf = (caption: string) => {
      const at = rows.findIndex((r) => r[0] === caption);
      const end = rows.findIndex((r, i) => i > at && (r.length === 0 || r.every((c) => c === '')));
      return rows.slice(at + 1, end);
    };
    expect(tableOf('Theo kênh tiếp nhận').at(-1)).toEqual([
      'Tổng cộng',
      '3',
      '2',
      '1',
      '6',
      '33.3',
    ]);
    expect(tableOf('Theo kênh trả kết quả').at(-1)).toEqual(['Tổng cộng', '3', '3', '0', '6']);
    expect(tableOf('Độ trễ đồng bộ theo đơn vị').at(-1)).toEqual([
      'Tổng cộng',
      '6',
      '5',
      '1',
      '5',
      '22',
      '1',
    ]);

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
    expect(totalAfter('Độ trễ đồng bộ theo đơn vị')).toEqual(['Tổng cộng', 6, 5, 1, 5, 22, 1]);
    expect(totalAfter('Theo kênh tiếp nhận').slice(0, 5)).toEqual(['Tổng cộng', 3, 2, 1, 6]);
  });

  it('is empty for a period with nothing, and only for supervisors', async () => {
    const boss = await loginAs(t.app, 'lanhdao');
    const page = await boss.get('/bao-cao?period=custom&from=01/01/2026&to=31/01/2026&office=all');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-table="channels-receiving"');
    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get(`/bao-cao?${PERIOD}`)).status).toBe(403);
  });
});
