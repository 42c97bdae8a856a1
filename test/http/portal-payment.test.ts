import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { performDossierAction } from '../../src/dossiers/workflow/index.js';
import { accountNamed } from '../support/factories.js';
import { PAYMENT_ENV, receiveFeeDossier } from '../support/payments.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

/**
 * The national portal hears a fee paid (issue 32: "payment where it applies"): the payment writes
 * a sync row in its own transaction, with the status the dossier has and the fee in the record.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z', env: PAYMENT_ENV });
});
afterEach(() => t.close());

async function syncRowsOf(code: string) {
  return t.ctx.db
    .selectFrom('portal_sync_rows as r')
    .innerJoin('portal_sync_streams as s', 's.id', 'r.stream_id')
    .innerJoin('dossiers as d', 'd.id', 's.dossier_id')
    .select(['r.seq', 'r.change', 'r.national_status', 'r.record', 'r.progress'])
    .where('d.code', '=', code)
    .orderBy('r.seq')
    .execute();
}

async function payCash(code: string, amount: string) {
  const agent = await loginAs(t.app, 'canbo');
  const page = await agent.get(`/ho-so/${code}/thu-phi`);
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '0';
  return agent
    .post(`/ho-so/${code}/thu-phi/tien-mat`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version, amount, payer_name: 'Lê Văn Cường' });
}

describe('the national portal hears a fee paid', () => {
  it('a cash payment adds a change with the dossier’s status and the fee in the record', async () => {
    const code = await receiveFeeDossier(t.ctx);
    const before = await syncRowsOf(code);
    expect(before.map((r) => r.change)).toEqual(['received']);
    expect(JSON.parse(before[0]!.record)).toMatchObject({
      DuocThanhToanTrucTuyen: '0',
      DanhSachLePhi: [],
    });

    expect((await payCash(code, '20000')).status).toBe(303);
    const rows = await syncRowsOf(code);
    expect(rows.map((r) => [r.change, r.national_status])).toEqual([
      ['received', '2'],
      ['fee_paid', '2'],
    ]);
    const record = JSON.parse(rows[1]!.record);
    expect(record).toMatchObject({
      TrangThaiHoSo: '2',
      DuocThanhToanTrucTuyen: '1',
      DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí đăng ký thường trú', Gia: '20000', MaPhiLePhi: '1' }],
    });
    expect(JSON.parse(rows[1]!.progress)).toMatchObject({
      NoiDungXuLy: 'Đã nộp phí, lệ phí',
      TrangThai: '2',
    });
  });

  it('reports the status the dossier has at the payment, and the later changes keep the fee', async () => {
    const code = await receiveFeeDossier(t.ctx);
    const canbo = await accountNamed(t.ctx, 'canbo');
    const dossier = await t.ctx.db
      .selectFrom('dossiers')
      .select(['version'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    await performDossierAction(t.ctx, canbo, code, 'mark_result_ready', {
      version: dossier.version,
      note: '',
    });
    expect((await payCash(code, '20000')).status).toBe(303);
    const rows = await syncRowsOf(code);
    expect(rows.map((r) => [r.change, r.national_status])).toEqual([
      ['received', '2'],
      ['mark_result_ready', '9'],
      ['fee_paid', '9'],
    ]);
    expect(JSON.parse(rows[1]!.record).DuocThanhToanTrucTuyen).toBe('0');
    expect(JSON.parse(rows[2]!.record).DuocThanhToanTrucTuyen).toBe('1');
  });

  it('a refused payment (a wrong amount) writes no change for the portal', async () => {
    const code = await receiveFeeDossier(t.ctx);
    expect((await payCash(code, '15000')).status).toBe(422);
    expect((await syncRowsOf(code)).map((r) => r.change)).toEqual(['received']);
  });
});
