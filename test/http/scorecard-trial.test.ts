import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedReportWeek } from '../support/scenarios.js';
import { createTestApp, loginAs, type TestApp } from '../support/test-app.js';

/**
 * Issue 34's user trial: the reasons of the indicators not measured here are true of the app as
 * it is (it receives online, syncs every dossier to the national portal, records the channel),
 * and the drill-down lists date their reasons dd/mm/yyyy like every other page.
 */
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-27T02:00:00Z' });
});
afterEach(() => t.close());

/** What the app no longer lacks: a reason must never say it does. */
const STALE = [
  /chưa đồng bộ/i,
  /đang được xây dựng/i,
  /chưa (có|hỗ trợ)[^.]*(trực tuyến|đồng bộ)/i,
  /chưa (ghi|lưu)[^.]*kênh/i,
];

const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;

describe('service index after the trial', () => {
  it('gives reasons for the unmeasured indicators that claim no missing feature', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    const api = await agent.get('/api/v1/reports/service-index?from=2026-03-01&to=2026-03-31');
    expect(api.status).toBe(200);
    const unmeasured = (
      api.body.indicators as { code: string; measured: boolean; reason?: string }[]
    ).filter((i) => !i.measured);
    expect(unmeasured.length).toBeGreaterThan(0);
    const page = await agent.get('/bao-cao/chi-so?kind=month&year=2026&n=3');
    expect(page.status).toBe(200);
    for (const i of unmeasured) {
      expect(i.reason, i.code).toMatch(/\S/);
      for (const stale of STALE) expect(i.reason, `${i.code}: ${stale}`).not.toMatch(stale);
    }
    for (const stale of STALE) expect(page.text).not.toMatch(stale);
    // The portal's own figures are named as such.
    const sync = unmeasured.find((i) => i.code === 'portal_sync');
    if (sync) expect(sync.reason).toMatch(/Cổng/);
  });

  it('dates the drill-down reasons dd/mm/yyyy, never ISO', async () => {
    await seedReportWeek(t);
    const agent = await loginAs(t.app, 'lanhdao');
    let dated = 0;
    for (const side of ['numerator', 'denominator', 'excluded']) {
      const res = await agent.get(`/bao-cao/chi-so/on_time/${side}?kind=month&year=2026&n=3`);
      expect(res.status, side).toBe(200);
      const body = res.text.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
      expect(body, side).not.toMatch(ISO_DATE);
      dated += (body.match(/(ngày|hẹn) \d{2}\/\d{2}\/\d{4}/g) ?? []).length;
    }
    expect(dated).toBeGreaterThan(0);
  });
});
