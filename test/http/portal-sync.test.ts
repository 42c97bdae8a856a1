import { afterEach, describe, expect, it } from 'vitest';
import { portalAdapterOf } from '../../src/online/portal-adapter.js';
import { portalDate } from '../../src/online/portal-status.js';
import { syncOnce } from '../../src/online/sync-sender.js';
import { validIntake } from '../support/factories.js';
import { startFakePortal, type FakePortal } from '../support/fake-portal.js';
import { createFilesApp, tokenApp, type FilesApp } from '../support/files-helpers.js';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed } from '../support/factories.js';
import { deliver, delivery, portalToken } from '../support/online.js';
import { csrfFrom, loginAs } from '../support/test-app.js';

let t: FilesApp;
let portal: FakePortal | undefined;
afterEach(async () => {
  await t?.close();
  await portal?.close();
  portal = undefined;
});

const stream = (ctx: FilesApp['ctx']) =>
  ctx.db.selectFrom('portal_sync_streams').selectAll().executeTakeFirstOrThrow();

describe('the national portal sync', () => {
  it('delivers every status of an online dossier in order, exactly once, through a portal outage', async () => {
    portal = await startFakePortal();
    t = await createFilesApp('fs', {
      PORTAL_SYNC_URL: portal.url,
      PORTAL_SYNC_TOKEN: 'portal-secret-token',
      PORTAL_SYNC_DSTCODE: 'H40',
      PORTAL_SYNC_TIMEOUT_S: '5',
    });
    const adapter = portalAdapterOf(t.ctx.config.portal, t.ctx.logger);
    const sync = () => syncOnce(t.ctx, adapter, 'sender-a');
    const portalCode = 'G22.99-260310-0001';
    const token = await portalToken(t);
    const body = await delivery(t);
    const id = (await deliver(t, token, body)).body.online_dossier.id;
    expect((await deliver(t, token, body)).status).toBe(200);
    const code = (await t.api.post(`/api/v1/online-dossiers/${id}/accept`, {})).body.dossier.code;
    await sync();
    expect((await stream(t.ctx)).state).toBe('in_step');

    const act = async (action: string, fields: Record<string, unknown> = {}) => {
      const version = (await t.api.get(`/api/v1/dossiers/${code}`)).body.dossier.version;
      const r = await t.api.post(`/api/v1/dossiers/${code}/actions/${action}`, {
        version,
        ...fields,
      });
      expect(r.status, action).toBe(200);
    };
    await act('start_processing');
    portal.mode = 'down';
    await sync();
    const failing = await stream(t.ctx);
    expect(failing).toMatchObject({ state: 'failing', attempts: 1, last_error: 'HTTP 503' });
    expect(failing.failing_since).toBe(t.clock.now().toISOString());
    await act('mark_result_ready');
    // Not due yet (backoff): nothing is tried.
    const tried = portal.requests.length;
    expect(await sync()).toBe(0);
    expect(portal.requests).toHaveLength(tried);
    portal.mode = 'refused';
    t.clock.advanceMinutes(1);
    await sync();
    expect(await stream(t.ctx)).toMatchObject({ state: 'failing', attempts: 2 });
    portal.mode = 'rejects';
    t.clock.advanceMinutes(1);
    await sync();
    expect((await stream(t.ctx)).last_error).toMatch(/^error_code 1/);
    portal.mode = 'ok';
    t.clock.advanceMinutes(60);
    await sync();
    expect(await stream(t.ctx)).toMatchObject({
      state: 'in_step',
      attempts: 0,
      failing_since: null,
    });
    await act('return_result', { returned_to: 'Nguyễn Văn An', returned_by: 'applicant' });
    await sync();

    const progress = portal.accepted('CapNhatTienDoHoSoMC');
    expect(progress.map((p) => p.TrangThai)).toEqual(['2', '4', '9', '10']);
    expect(new Set(progress.map((p) => p.MaHoSo))).toEqual(new Set([portalCode]));
    const records = portal.accepted('DongBoHoSoMC');
    expect(records.map((r) => r.TrangThaiHoSo)).toEqual(['2', '4', '9', '10']);
    expect(records[0]).toMatchObject({
      MaHoSo: portalCode,
      MaTTHC: '2.000200',
      KenhThucHien: '2',
      NgayNopHoSo: '20260309201500',
      NgayTiepNhan: '20260310090000',
    });
    const updating = portal.requests
      .filter((r) => r.accepted && r.body.service === 'DongBoHoSoMC')
      .map((r) => r.body.isUpdating);
    expect(updating).toEqual(['False', 'True', 'True', 'True']);
    expect(portal.requests[0]!.headers).toMatchObject({
      dstcode: 'H40',
      authorization: 'Bearer portal-secret-token',
    });
    expect(await stream(t.ctx)).toMatchObject({ state: 'in_step', last_seq: 4, sent_seq: 4 });
    // Every call of a change carries its idempotency key, the same on each attempt.
    const keys = (service: string) => [
      ...new Set(portal!.requests.filter((r) => r.body.service === service).map((r) => r.key)),
    ];
    const expected = [1, 2, 3, 4].map((n) => `${portalCode}.${n}`);
    expect(keys('DongBoHoSoMC')).toEqual(expected);
    expect(keys('CapNhatTienDoHoSoMC')).toEqual(expected);
  });

  it('writes the row with the change or not at all, and two senders never send a change twice', async () => {
    portal = await startFakePortal();
    t = await createFilesApp('fs', { PORTAL_SYNC_URL: portal.url });
    const adapter = portalAdapterOf(t.ctx.config.portal, t.ctx.logger);
    const created = await t.api.post('/api/v1/dossiers', await validIntake(t.ctx));
    const code = created.body.dossier.code;
    // A refused action changes nothing and writes no row.
    const impossible = await t.api.post(`/api/v1/dossiers/${code}/actions/return_result`, {
      version: 1,
      returned_to: 'An',
    });
    expect(impossible.status).toBe(409);
    const rows = await t.ctx.db.selectFrom('portal_sync_rows').select('national_status').execute();
    expect(rows).toEqual([{ national_status: '2' }]);
    expect((await stream(t.ctx)).ma_ho_so).toBe(code);
    // A guided intake has no code: the portal never hears of it.
    await t.api.post(
      '/api/v1/dossiers',
      await validIntake(t.ctx, { outcome: 'guide', documents: [] }),
    );
    expect(await t.ctx.db.selectFrom('portal_sync_streams').select('id').execute()).toHaveLength(1);

    await Promise.all([syncOnce(t.ctx, adapter, 'sender-a'), syncOnce(t.ctx, adapter, 'sender-b')]);
    expect(portal.accepted('CapNhatTienDoHoSoMC').map((p) => p.MaHoSo)).toEqual([code]);
    expect((await stream(t.ctx)).state).toBe('in_step');
  });

  it("numbers a counter dossier's changes from 1, its stream waiting to be sent from each change", async () => {
    t = await createFilesApp('fs');
    const at = t.clock.now().toISOString();
    const created = await t.api.post('/api/v1/dossiers', await validIntake(t.ctx));
    const code = created.body.dossier.code;
    // The intake inserts its stream already numbered for its first row: nothing updates it.
    expect(await stream(t.ctx)).toMatchObject({
      ma_ho_so: code,
      dossier_id: created.body.dossier.id,
      state: 'pending',
      last_seq: 1,
      sent_seq: 0,
      next_attempt_at: at,
      last_change_at: at,
    });
    const seqs = async () =>
      (
        await t.ctx.db
          .selectFrom('portal_sync_rows')
          .select(['seq', 'change', 'national_status'])
          .orderBy('seq')
          .execute()
      ).map((r) => [r.seq, r.change, r.national_status]);
    expect(await seqs()).toEqual([[1, 'received', '2']]);
    // The record the portal gets at intake: no fee paid yet.
    const [first] = await t.ctx.db.selectFrom('portal_sync_rows').select('record').execute();
    // The facts the intake holds, as the dossier and its office have them.
    const dossier = await t.ctx.db
      .selectFrom('dossiers as d')
      .innerJoin('offices as o', 'o.id', 'd.office_id')
      .select(['d.applicant_name', 'd.procedure_code', 'd.due_at', 'o.name'])
      .where('d.code', '=', code)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(first!.record as string)).toMatchObject({
      MaHoSo: code,
      MaTTHC: dossier.procedure_code,
      ChuHoSo: dossier.applicant_name,
      DonViXuLy: dossier.name,
      NgayHenTra: portalDate(dossier.due_at),
      TrangThaiHoSo: '2',
      DuocThanhToanTrucTuyen: '0',
      DanhSachLePhi: [],
    });
    t.clock.advanceMinutes(5);
    const later = t.clock.now().toISOString();
    const r = await t.api.post(`/api/v1/dossiers/${code}/actions/start_processing`, {
      version: created.body.dossier.version,
    });
    expect(r.status).toBe(200);
    expect(await seqs()).toEqual([
      [1, 'received', '2'],
      [2, 'start_processing', '4'],
    ]);
    expect(await stream(t.ctx)).toMatchObject({
      last_seq: 2,
      state: 'pending',
      next_attempt_at: later,
      last_change_at: later,
    });
  });

  it('records what it would send with the log adapter when no portal is configured', async () => {
    t = await createFilesApp('fs');
    expect(t.ctx.config.portal.url).toBeNull();
    await t.api.post('/api/v1/dossiers', await validIntake(t.ctx));
    await syncOnce(t.ctx, portalAdapterOf(t.ctx.config.portal, t.ctx.logger), 'sender-a');
    expect(await stream(t.ctx)).toMatchObject({ state: 'in_step', sent_seq: 1, on_portal: 1 });
  });

  it('lists failing and lagging dossiers for a supervisor, resends one now, and shows the state on the dossier page', async () => {
    portal = await startFakePortal();
    t = await createFilesApp('fs', { PORTAL_SYNC_URL: portal.url, PORTAL_SYNC_LAG_MINUTES: '30' });
    const adapter = portalAdapterOf(t.ctx.config.portal, t.ctx.logger);
    const code = (await t.api.post('/api/v1/dossiers', await validIntake(t.ctx))).body.dossier.code;
    const lanhdao = tokenApp(
      t,
      await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'lanhdao')).id, 'l', null),
      t.filesDir,
    );
    // Waiting, but not yet for longer than the lag: not listed.
    expect((await lanhdao.api.get('/api/v1/portal-sync/problems')).body.dossiers).toEqual([]);
    t.clock.advanceMinutes(31);
    const lagging = (await lanhdao.api.get('/api/v1/portal-sync/problems')).body;
    expect(lagging).toMatchObject({
      lag_minutes: 30,
      dossiers: [{ ma_ho_so: code, state: 'pending' }],
    });
    // A pending stream is not "resent": it is due already.
    const id = lagging.dossiers[0].id;
    expect((await lanhdao.api.post(`/api/v1/portal-sync/${id}/resend`, {})).status).toBe(409);

    portal.mode = 'down';
    await syncOnce(t.ctx, adapter, 'sender-a');
    const agent = await loginAs(t.app, 'lanhdao');
    const page = await agent.get('/truc-tuyen/dong-bo');
    expect(page.status).toBe(200);
    expect(page.text).toContain(code);
    expect(page.text).toContain('HTTP 503');
    const dossierPage = await agent.get(`/ho-so/${code}`);
    expect(dossierPage.text).toContain('data-portal-sync="failing"');

    portal.mode = 'ok';
    expect(await syncOnce(t.ctx, adapter, 'sender-a')).toBe(0); // still backing off
    const resent = await agent
      .post(`/truc-tuyen/dong-bo/${id}/gui-lai`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect([resent.status, resent.headers.location]).toEqual([303, '/truc-tuyen/dong-bo']);
    expect(await syncOnce(t.ctx, adapter, 'sender-a')).toBe(1);
    expect(portal.accepted('CapNhatTienDoHoSoMC').map((p) => p.MaHoSo)).toEqual([code]);
    expect((await lanhdao.api.get('/api/v1/portal-sync/problems')).body.dossiers).toEqual([]);
    expect((await agent.get(`/ho-so/${code}`)).text).toContain('data-portal-sync="in_step"');

    // Officers see neither the list nor the button.
    expect((await t.api.get('/api/v1/portal-sync/problems')).status).toBe(403);
    expect((await t.api.post(`/api/v1/portal-sync/${id}/resend`, {})).status).toBe(403);
    expect((await lanhdao.api.post('/api/v1/portal-sync/abc/resend', {})).status).toBe(404);
  });
});
