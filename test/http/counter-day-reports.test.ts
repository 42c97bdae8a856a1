import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { vi } from '../../src/locale/vi.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

/** Issue 28, items 16 and 17: the period a report compares with, dates and numbers as Vietnamese. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' }); // Tue 10 Mar 2026, 09:00 local
});
afterEach(() => t.close());

describe('the period a report compares with (item 16)', () => {
  it('compares December with November, a quarter with the one before', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    const december = await agent.get('/bao-cao?period=custom&from=2026-12-01&to=2026-12-31');
    expect(december.status).toBe(200);
    expect(december.text).toContain('so với kỳ trước (01/11/2026 – 30/11/2026)');
    const quarter = await agent.get('/bao-cao?period=custom&from=2026-10-01&to=2026-12-31');
    expect(quarter.text).toContain('so với kỳ trước (01/07/2026 – 30/09/2026)');
  });
});

describe('one Vietnamese format for dates and numbers (item 17)', () => {
  it('takes the queue report’s dates typed dd/mm/yyyy, shows them so, and says 31/02 does not exist', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    const page = await agent.get('/bao-cao/xep-hang?from=01/03/2026&to=10/03/2026');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('type="date"');
    expect(page.text).toContain('name="from" type="text" inputmode="numeric"');
    expect(page.text).toContain('value="01/03/2026"');
    expect(page.text).toContain('value="10/03/2026"');
    // Links with ISO dates still work.
    expect((await agent.get('/bao-cao/xep-hang?from=2026-03-01&to=2026-03-10')).status).toBe(200);
    const bad = await agent.get('/bao-cao/xep-hang?from=31/02/2026&to=10/03/2026');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Ngày 31/02/2026 không có trong lịch');
    expect(bad.text).toContain('value="31/02/2026"');
    const garbage = await agent.get('/bao-cao/xep-hang?from=hôm%20qua');
    expect(garbage.status).toBe(422);
    expect(garbage.text).toContain('ngày/tháng/năm');
  });

  it('names the queue report’s filter as the other reports do, says when a table is empty, and leads back', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    const page = await agent.get('/bao-cao/xep-hang?from=01/03/2026&to=10/03/2026');
    expect(page.text).toContain('<a href="/bao-cao">← Về báo cáo</a>');
    expect(page.text).toContain('<label for="r-office">Đơn vị</label>');
    expect(page.text).toContain('<option value="">Tất cả đơn vị trong phạm vi</option>');
    expect(page.text).not.toContain('Cơ quan');
    // No tickets in the period: each breakdown says so rather than showing its headings alone.
    for (const table of ['name', 'hour']) {
      const body = page.text.split(`data-table="${table}"`).slice(1);
      expect(body.length).toBeGreaterThan(0);
    }
    expect(page.text.match(/Không có số liệu trong kỳ\./g)?.length).toBe(3);
  });

  it('writes minutes with a decimal comma, as the main report writes its percentages', () => {
    expect(vi.queue.report.minutes(100)).toBe('1,7 phút');
    expect(vi.queue.report.minutes(120)).toBe('2 phút');
    expect(vi.queue.report.minutes(null)).toBe('–');
  });

  it('writes shares in the CSV as whole per-mille, numbers to Excel in any locale', async () => {
    const canbo = await accountNamed(t.ctx, 'canbo');
    const { code } = await receiveDossier(t.ctx, canbo, await validIntake(t.ctx));
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get(`/ho-so/${encodeURIComponent(code!)}`);
    const ready = await agent
      .post(`/ho-so/${encodeURIComponent(code!)}/hanh-dong/mark_result_ready`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version: /name="version" value="(\d+)"/.exec(page.text)![1],
      });
    expect(ready.status).toBe(303);
    const chief = await loginAs(t.app, 'lanhdao');
    const res = await chief
      .get('/bao-cao/xuat/tong-hop.csv?period=custom&from=2026-03-09&to=2026-03-13')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const rows: string[][] = parse(res.body as Buffer, { bom: true, relax_column_count: true });
    const header = rows.find((r) => r.some((c) => c.startsWith('Tỷ lệ trước và đúng hạn')))!;
    const column = header.findIndex((c) => c.startsWith('Tỷ lệ trước và đúng hạn'));
    expect(header[column]).toContain('‰');
    const total = rows.find((r) => r[0] === 'Tổng cộng')!;
    expect(total[column]).toBe('1000');
    const share = rows.find((r) => r[0] === 'Tỷ lệ giải quyết trước và đúng hạn')!;
    expect(share[1]).toMatch(/^\d+$/);
    // No number in the file has a decimal point or comma a locale could misread.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^\d+[.,]\d+$/);
  });
});
