import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed, createOfficerAt, validIntake } from '../support/factories.js';
import { createTestApp, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

let t: TestApp;
let token: string;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
  const officer = await accountNamed(t.ctx, 'canbo');
  token = await issueApiToken(t.ctx, officer.id, 'counter kiosk', null);
});
afterEach(() => t.close());

const api = () => ({
  get: (path: string) => request(t.app).get(path).set('authorization', `Bearer ${token}`),
  post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(t.app)
      .post(path)
      .set('authorization', `Bearer ${token}`)
      .set(headers)
      .send(body as object),
});

describe('authentication', () => {
  it('accepts a bearer token and refuses a wrong or missing one', async () => {
    expect((await api().get('/api/v1/procedures')).status).toBe(200);
    const wrong = await request(t.app)
      .get('/api/v1/procedures')
      .set('authorization', 'Bearer nope');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
    expect((await request(t.app).get('/api/v1/dossiers')).status).toBe(401);
  });

  it('stops working once the token is revoked', async () => {
    await t.ctx.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date().toISOString() })
      .execute();
    expect((await api().get('/api/v1/procedures')).status).toBe(401);
  });

  it('requires the CSRF header when the API is used with a session cookie', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const body = await validIntake(t.ctx);
    expect((await agent.post('/api/v1/dossiers').send(body)).status).toBe(403);
    const ok = await agent
      .post('/api/v1/dossiers')
      .set('x-csrf-token', await csrfOf(agent, '/ho-so/moi'))
      .send(body);
    expect(ok.status).toBe(201);
  });
});

describe('procedures', () => {
  it('lists the catalog and shows one with its documents', async () => {
    const list = await api().get('/api/v1/procedures');
    expect(list.body.procedures.find((p: { code: string }) => p.code === '1.004222')).toMatchObject(
      { name: 'Đăng ký thường trú', processing_days: 7, fee_vnd: 20000 },
    );
    const one = await api().get('/api/v1/procedures/1.004222');
    expect(one.body.procedure.documents[0]).toMatchObject({
      name: 'Tờ khai thay đổi thông tin cư trú (mẫu CT01)',
      required: true,
    });
    expect((await api().get('/api/v1/procedures/0.000000')).status).toBe(404);
  });
});

describe('dossiers', () => {
  it('creates a dossier: 201 with the code, the lookup key once, the due date and its explanation', async () => {
    const res = await api().post('/api/v1/dossiers', await validIntake(t.ctx));
    expect(res.status).toBe(201);
    expect(res.body.dossier).toMatchObject({
      code: '000.00.13.H40-260310-0001',
      status: 'received',
      due_on: '2026-03-19',
      version: 1,
    });
    expect(res.body.lookup_key).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(res.body.lookup_url).toBe(
      `http://localhost:3000/tra-cuu?ma=000.00.13.H40-260310-0001&khoa=${res.body.lookup_key}`,
    );
    expect(res.body.due_explanation.countedDays).toHaveLength(7);
    const shown = await api().get('/api/v1/dossiers/000.00.13.H40-260310-0001');
    expect(shown.body.events).toHaveLength(1);
    expect(shown.body.allowed_actions).toContain('start_processing');
    expect(JSON.stringify(shown.body)).not.toContain(res.body.lookup_key);
  });

  it('replays a request with the same Idempotency-Key instead of creating a second dossier', async () => {
    const body = await validIntake(t.ctx);
    const first = await api().post('/api/v1/dossiers', body, {
      'idempotency-key': 'kiosk-0001-abc',
    });
    const second = await api().post('/api/v1/dossiers', body, {
      'idempotency-key': 'kiosk-0001-abc',
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.replayed).toBe(true);
    expect(second.body.dossier.code).toBe(first.body.dossier.code);
    expect(second.body.lookup_key).toBeNull();
    expect(
      (await api().post('/api/v1/dossiers', body, { 'idempotency-key': 'bad key!' })).status,
    ).toBe(422);
  });

  it('answers bad input with 422 and field errors, whatever the types', async () => {
    const res = await api().post(
      '/api/v1/dossiers',
      await validIntake(t.ctx, { personal_id: '123', phone: 'abc' }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['personal_id', 'phone']);
    for (const body of [
      [],
      'text',
      { applicant_name: { nested: true } },
      { documents: [{}] },
      { procedure_code: null },
    ]) {
      const r = await api().post('/api/v1/dossiers', body);
      expect(r.status).toBe(422);
    }
    expect(await t.ctx.db.selectFrom('dossiers').selectAll().execute()).toEqual([]);
  });

  it('runs the actions, with 409 for an impossible one and 422 without a version', async () => {
    const created = await api().post('/api/v1/dossiers', await validIntake(t.ctx));
    const code = created.body.dossier.code;
    const started = await api().post(`/api/v1/dossiers/${code}/actions/start_processing`, {
      version: 1,
    });
    expect(started.status).toBe(200);
    expect(started.body.dossier).toMatchObject({ status: 'processing', version: 2 });
    const impossible = await api().post(`/api/v1/dossiers/${code}/actions/return_result`, {
      version: 2,
      returned_to: 'An',
    });
    expect(impossible.status).toBe(409);
    expect(impossible.body.error.code).toBe('invalid_transition');
    const stale = await api().post(`/api/v1/dossiers/${code}/actions/mark_result_ready`, {
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_version');
    const noVersion = await api().post(`/api/v1/dossiers/${code}/actions/mark_result_ready`, {});
    expect(noVersion.status).toBe(422);
    expect(noVersion.body.error.fields.version).toBeTruthy();
    expect((await api().post(`/api/v1/dossiers/${code}/actions/fly`, { version: 2 })).status).toBe(
      404,
    );
    const ready = await api().post(`/api/v1/dossiers/${code}/actions/mark_result_ready`, {
      version: 2,
    });
    expect(ready.body.dossier).toMatchObject({ status: 'result_ready', outcome: 'early' });
  });

  it('reissues the lookup key', async () => {
    const created = await api().post('/api/v1/dossiers', await validIntake(t.ctx));
    const res = await api().post(`/api/v1/dossiers/${created.body.dossier.code}/lookup-key`, {});
    expect(res.status).toBe(200);
    expect(res.body.lookup_key).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
  });

  it('searches and shows the last known applicant by ID number', async () => {
    await api().post('/api/v1/dossiers', await validIntake(t.ctx));
    const list = await api().get('/api/v1/dossiers?q=nguyen%20van%20an');
    expect(list.body.dossiers).toHaveLength(1);
    expect((await api().get('/api/v1/dossiers?page=0')).status).toBe(422);
    const applicant = await api().post('/api/v1/applicants/lookup', {
      personal_id: '035090001234',
    });
    expect(applicant.body.applicant).toMatchObject({
      applicant_name: 'Nguyễn Văn An',
      phone: '0912345678',
    });
    const unknown = await api().post('/api/v1/applicants/lookup', { personal_id: '037090001234' });
    expect([unknown.status, unknown.body.applicant]).toEqual([200, null]);
    expect((await api().post('/api/v1/applicants/lookup', { personal_id: '12' })).status).toBe(422);
  });

  it("keeps another office's dossiers and applicants out of reach", async () => {
    const created = await api().post('/api/v1/dossiers', await validIntake(t.ctx));
    await createOfficerAt(t.ctx, '000.13.13.H40', 'canbo_nhanthinh');
    const other = await issueApiToken(
      t.ctx,
      (await accountNamed(t.ctx, 'canbo_nhanthinh')).id,
      'x',
      null,
    );
    const res = await request(t.app)
      .get(`/api/v1/dossiers/${created.body.dossier.code}`)
      .set('authorization', `Bearer ${other}`);
    // Another office's dossier is "not found", like a missing one.
    expect(res.status).toBe(404);
    const applicant = await request(t.app)
      .post('/api/v1/applicants/lookup')
      .set('authorization', `Bearer ${other}`)
      .send({ personal_id: '035090001234' });
    expect(applicant.body).toEqual({ applicant: null });
  });
});
