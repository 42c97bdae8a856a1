import { afterEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import {
  buildReport,
  parseReportQuery,
  resolveReportScope,
} from '../../src/reports/reports.service.js';
import { seedDemoDossiers } from '../../seeds/demo-dossiers.js';
import { accountNamed, createOfficerAt, validIntake } from '../support/factories.js';
import { createTestApp, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

let t: TestApp;
afterEach(() => t?.close());

const officeOf = async (code: string) =>
  t.ctx.db.selectFrom('offices').selectAll().where('code', '=', code).executeTakeFirstOrThrow();

describe('offices since 2025', () => {
  it('models the provincial police, its PC06 and communes, and keeps Lý Nhân district police closed since 28/02/2025', async () => {
    t = await createTestApp();
    const province = await officeOf('000.00.00.H40');
    const pc06 = await officeOf('000.00.13.H40');
    const lyNhan = await officeOf('000.00.10.H35');
    expect(province).toMatchObject({ name: 'Công an tỉnh Ninh Bình', parent_id: null });
    expect(pc06.parent_id).toBe(province.id);
    expect(lyNhan).toMatchObject({ valid_to: '2025-02-28', parent_id: null });
    const communes = await t.ctx.db
      .selectFrom('offices')
      .select('name')
      .where('parent_id', '=', pc06.id)
      .execute();
    expect(communes.map((c) => c.name).every((n) => n.endsWith('(minh họa)'))).toBe(true);
    expect((await accountNamed(t.ctx, 'canbo')).officeCode).toBe('000.00.13.H40');
  });

  it('lets a closed office receive nothing new', async () => {
    t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
    await createOfficerAt(t.ctx, '000.00.10.H35', 'canbo.lynhan');
    await expect(
      receiveDossier(t.ctx, await accountNamed(t.ctx, 'canbo.lynhan'), await validIntake(t.ctx)),
    ).rejects.toMatchObject({ code: 'office_inactive' });
  });

  it("moves a closed office's open dossiers to its successor with an event each, codes and dates unchanged", async () => {
    t = await createTestApp({ now: '2025-02-20T02:00:00Z' });
    await createOfficerAt(t.ctx, '000.00.10.H35', 'canbo.lynhan');
    const before = await receiveDossier(
      t.ctx,
      await accountNamed(t.ctx, 'canbo.lynhan'),
      await validIntake(t.ctx),
    );
    expect(before.code).toMatch(/^000\.00\.10\.H35-250220-0001$/);
    t.clock.set(new Date('2026-03-10T02:00:00Z'));
    const lyNhan = await officeOf('000.00.10.H35');
    const pc06 = await officeOf('000.00.13.H40');
    const admin = await loginAs(t.app, 'quantri');
    // The closed office's page links the transfer, which counts what is still open there.
    const officePage = await admin.get(`/quan-tri/don-vi/${lyNhan.id}`);
    expect(officePage.text).toContain(`/quan-tri/don-vi/${lyNhan.id}/chuyen-ho-so`);
    const page = await admin.get(`/quan-tri/don-vi/${lyNhan.id}/chuyen-ho-so`);
    expect(page.text).toContain('Đơn vị còn 1 hồ sơ đang giải quyết');
    const officer = await loginAs(t.app, 'canbo');
    expect((await officer.get(`/ho-so/${before.code}`)).status).toBe(404);

    const moved = await admin
      .post(`/quan-tri/don-vi/${lyNhan.id}/chuyen-ho-so`)
      .type('form')
      .send({
        _csrf: await csrfOf(admin, `/quan-tri/don-vi/${lyNhan.id}`),
        successor_id: String(pc06.id),
      });
    expect(moved.status).toBe(303);
    const after = await t.ctx.db
      .selectFrom('dossiers')
      .selectAll()
      .where('id', '=', before.dossierId)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      office_id: pc06.id,
      code: before.code,
      due_on: before.dossier!.due_on,
      received_at: before.dossier!.received_at,
    });
    const events = await t.ctx.db
      .selectFrom('dossier_events')
      .select(['action', 'details'])
      .where('dossier_id', '=', before.dossierId)
      .orderBy('id')
      .execute();
    expect(events.at(-1)).toMatchObject({ action: 'office.transferred' });
    expect(JSON.parse(events.at(-1)!.details)).toEqual({
      fromOffice: '000.00.10.H35',
      toOffice: '000.00.13.H40',
    });
    const shown = await officer.get(`/ho-so/${before.code}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Chuyển sang đơn vị kế nhiệm');
    // Its open step went with it, to the successor's counter.
    const open = await t.ctx.db
      .selectFrom('dossier_steps')
      .selectAll()
      .where('dossier_id', '=', before.dossierId)
      .where('finished_at', 'is', null)
      .execute();
    expect(open).toMatchObject([
      { kind: 'reception', office_id: pc06.id, unit_id: null, holder_account_id: null },
    ]);
    expect((await admin.get(`/quan-tri/don-vi/${lyNhan.id}/chuyen-ho-so`)).text).toContain(
      'Đơn vị còn 0 hồ sơ đang giải quyết',
    );
  });

  it('refuses to move dossiers of an open office, or to a closed one', async () => {
    t = await createTestApp();
    const lyNhan = await officeOf('000.00.10.H35');
    const pc06 = await officeOf('000.00.13.H40');
    const admin = await loginAs(t.app, 'quantri');
    const fromOpen = await admin
      .post(`/quan-tri/don-vi/${pc06.id}/chuyen-ho-so`)
      .type('form')
      .send({
        _csrf: await csrfOf(admin, `/quan-tri/don-vi/${pc06.id}`),
        successor_id: String(lyNhan.id),
      });
    expect(fromOpen.status).toBe(422);
    expect(fromOpen.text).toContain('Chỉ chuyển hồ sơ của đơn vị đã ngừng hoạt động.');
    const toItself = await admin
      .post(`/quan-tri/don-vi/${lyNhan.id}/chuyen-ho-so`)
      .type('form')
      .send({
        _csrf: await csrfOf(admin, `/quan-tri/don-vi/${lyNhan.id}`),
        successor_id: String(lyNhan.id),
      });
    expect(toItself.status).toBe(422);
    expect(toItself.text).toContain('Chọn một đơn vị khác, đang hoạt động.');
  });

  it("keeps the closed office's history in the reports (the demo files its last weeks)", async () => {
    t = await createTestApp({ now: '2026-11-20T02:00:00Z' });
    await seedDemoDossiers(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, '2026-11-20');
    const lyNhan = await officeOf('000.00.10.H35');
    const history = await t.ctx.db
      .selectFrom('dossiers')
      .select(['closed_at', 'received_on'])
      .where('office_id', '=', lyNhan.id)
      .execute();
    expect(history.length).toBeGreaterThan(20);
    expect(history.every((d) => d.received_on <= '2025-02-28')).toBe(true);
    expect(history.some((d) => d.closed_at === null)).toBe(true); // some were still open when it closed
    const admin = await accountNamed(t.ctx, 'quantri');
    const scope = await resolveReportScope(t.ctx, admin, lyNhan.id);
    const report = await buildReport(
      t.ctx,
      scope,
      parseReportQuery({ period: 'custom', from: '2025-01-01', to: '2025-02-28' }, '2026-11-20'),
    );
    expect(report.totals.received).toBe(history.length);
  });
});
