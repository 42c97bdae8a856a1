import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { receiveDossier } from '../../src/dossiers/intake/index.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

/**
 * The dossier policy through the pages and the API (the table of cases is in
 * test/unit/dossiers/policy.test.ts): separation of duties, supervisors standing in for a unit
 * only where the office allows it (and recorded), and the receipt's reprint at the counter only.
 */
let t: TestApp;
const tokens: Record<string, string> = {};
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
  for (const name of ['canbo', 'xuly', 'pheduyet', 'lanhdao'])
    tokens[name] = await issueApiToken(t.ctx, (await accountNamed(t.ctx, name)).id, 'test', null);
});
afterEach(() => t.close());

const api = (who: string) => ({
  get: (path: string) => request(t.app).get(path).set('authorization', `Bearer ${tokens[who]}`),
  post: (path: string, body: object = {}) =>
    request(t.app).post(path).set('authorization', `Bearer ${tokens[who]}`).send(body),
});
const version = async (code: string) =>
  String(
    (
      await t.ctx.db
        .selectFrom('dossiers')
        .select('version')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).version,
  );
const act = async (who: string, code: string, action: string, body: object = {}) =>
  api(who).post(`/api/v1/dossiers/${code}/actions/${action}`, {
    version: await version(code),
    ...body,
  });
async function receive(): Promise<string> {
  return (await receiveDossier(t.ctx, await accountNamed(t.ctx, 'canbo'), await validIntake(t.ctx)))
    .code!;
}
async function letSupervisorsActForUnits() {
  await t.ctx.db.updateTable('offices').set({ supervisor_acts_for_units: 1 }).execute();
  t.ctx.masterData.invalidate();
}

describe('separation of duties', () => {
  it('refuses the approval to the officer who processed the dossier, and lets another approve', async () => {
    const code = await receive();
    expect((await act('canbo', code, 'hand_over')).status).toBe(200);
    // The unit's approver processes it himself, then hands it to approval.
    expect((await act('pheduyet', code, 'claim')).status).toBe(200);
    expect((await act('pheduyet', code, 'hand_over', { to_step: 'approval' })).status).toBe(200);
    const own = await act('pheduyet', code, 'approve');
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('own_work');
    const detail = await api('pheduyet').get(`/api/v1/dossiers/${code}`);
    expect(detail.body.allowed_actions).not.toContain('approve');
    // Another leader of the unit (a supervisor the office lets stand in) approves, recorded so.
    await letSupervisorsActForUnits();
    expect((await act('lanhdao', code, 'approve')).status).toBe(200);
    const approval = await t.ctx.db
      .selectFrom('dossier_steps')
      .innerJoin('dossiers', 'dossiers.id', 'dossier_steps.dossier_id')
      .select(['dossier_steps.on_behalf', 'dossier_steps.finished_by_name'])
      .where('dossiers.code', '=', code)
      .where('dossier_steps.kind', '=', 'approval')
      .executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ on_behalf: 1 });
  });

  it('never lets a supervisor both process and approve the same dossier', async () => {
    await letSupervisorsActForUnits();
    const code = await receive();
    await act('canbo', code, 'hand_over');
    expect((await act('lanhdao', code, 'claim')).status).toBe(200);
    expect((await act('lanhdao', code, 'hand_over', { to_step: 'approval' })).status).toBe(200);
    const approve = await act('lanhdao', code, 'approve');
    expect(approve.status).toBe(403);
    expect(approve.body.error.code).toBe('own_work');
    const claim = await act('lanhdao', code, 'claim');
    expect(claim.status).toBe(403);
    // What the supervisor did for the unit is recorded on the step and in the event.
    const processing = await t.ctx.db
      .selectFrom('dossier_steps')
      .innerJoin('dossiers', 'dossiers.id', 'dossier_steps.dossier_id')
      .select('dossier_steps.on_behalf')
      .where('dossiers.code', '=', code)
      .where('dossier_steps.kind', '=', 'processing')
      .executeTakeFirstOrThrow();
    expect(processing.on_behalf).toBe(1);
    const events = (await api('lanhdao').get(`/api/v1/dossiers/${code}`)).body.events as {
      action: string;
      details: Record<string, unknown>;
    }[];
    expect(events.find((e) => e.action === 'claim' && e.details.onBehalfOfUnit)).toBeTruthy();
  });

  it('does not let a supervisor act in a unit’s place unless the office says so', async () => {
    const code = await receive();
    await act('canbo', code, 'hand_over');
    const claim = await act('lanhdao', code, 'claim');
    expect(claim.status).toBe(403);
    expect(claim.body.error.code).toBe('not_for_supervisors');
    expect((await api('lanhdao').get(`/api/v1/dossiers/${code}`)).body.allowed_actions).toEqual(
      expect.not.arrayContaining(['claim']),
    );
  });
});

describe('the receipt’s reprint (a new lookup key) is the counter’s alone', () => {
  it('is not offered to a processor, and refused if asked for', async () => {
    const code = await receive();
    await act('canbo', code, 'hand_over');
    await act('xuly', code, 'claim');
    const processor = await loginAs(t.app, 'xuly');
    const page = await processor.get(`/ho-so/${code}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('In lại giấy hẹn');
    expect(page.text).not.toContain(`/ho-so/${code}/phieu/receipt`);
    const posted = await processor
      .post(`/ho-so/${code}/phieu/receipt`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(posted.status).toBe(403);
    expect((await api('xuly').post(`/api/v1/dossiers/${code}/lookup-key`)).status).toBe(403);
    // The key the citizen holds still works: nothing was reissued.
    const reprints = await t.ctx.db
      .selectFrom('dossier_events')
      .select('id')
      .where('action', '=', 'receipt.reprinted')
      .execute();
    expect(reprints).toEqual([]);
  });

  it('is offered at the counter', async () => {
    const code = await receive();
    const counter = await loginAs(t.app, 'canbo');
    const page = await counter.get(`/ho-so/${code}`);
    expect(page.text).toContain('In lại giấy hẹn');
    expect((await api('canbo').post(`/api/v1/dossiers/${code}/lookup-key`)).status).toBe(200);
  });
});
