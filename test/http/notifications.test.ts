import request from 'supertest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { performDossierAction } from '../../src/dossiers/workflow/workflow.service.js';
import { drainOnce } from '../../src/notifications/sender.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { startFakeProviders, type FakeProviders } from '../support/fake-providers.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

let t: TestApp;
let providers: FakeProviders;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(env: Record<string, string> = {}, now = '2026-03-10T02:00:00Z') {
  providers = await startFakeProviders();
  t = await createTestApp({
    now,
    env: {
      SMS_GATEWAY_URL: `${providers.url}/sms`,
      SMS_GATEWAY_TOKEN: 'gateway-secret',
      ZALO_ZNS_URL: `${providers.url}/zns`,
      ZALO_ZNS_TOKEN: 'zalo-secret',
      ...env,
    },
  });
  cleanups.push(
    () => t.close(),
    () => providers.close(),
  );
}
const receive = async (overrides: Record<string, unknown> = {}) =>
  receiveDossier(
    t.ctx,
    await accountNamed(t.ctx, 'canbo'),
    await validIntake(t.ctx, { notify: ['sms'], ...overrides }),
  );
const outbox = () => t.ctx.db.selectFrom('notifications').selectAll().orderBy('id').execute();
const minutes = (n: number) => t.clock.set(new Date(t.clock.now().getTime() + n * 60_000));

describe('the outbox', () => {
  it('writes the messages in the intake transaction, only on consented channels, and sends them', async () => {
    await setup();
    const none = await receive({ notify: [] });
    const result = await receive({ notify: ['sms', 'zalo'], phone: '0912345678' });
    const rows = await outbox();
    expect(rows.filter((r) => r.dossier_id === none.dossierId)).toEqual([]);
    expect(rows.map((r) => `${r.kind}:${r.channel}:${r.state}`)).toEqual([
      'receipt:sms:queued',
      'receipt:zalo:queued',
      'reminder:sms:queued',
      'reminder:zalo:queued',
    ]);
    // Never the ID number, the address or the birth date; the key link only in the receipt.
    for (const r of rows)
      for (const secret of ['035090001234', 'Thôn 3', '1990']) expect(r.body).not.toContain(secret);
    expect(rows[0]!.body).toContain(`khoa=${result.lookupKey}`);
    expect(rows[2]!.body).not.toContain('khoa=');
    // The reminder waits for 08:00 on the working day before the appointment (Wed 18 Mar).
    expect(rows[2]!.next_attempt_at).toBe('2026-03-18T01:00:00.000Z');

    expect(await drainOnce(t.ctx, 'a')).toBe(2);
    const sms = providers.delivered('/sms');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: '0912345678' });
    expect(String(sms[0]!.text)).toContain(result.code);
    expect(providers.requests.find((r) => r.path === '/sms')!.headers.authorization).toBe(
      'Bearer gateway-secret',
    );
    expect(providers.delivered('/zns')[0]).toMatchObject({ phone: '84912345678' });
    const sent = await outbox();
    expect(sent.slice(0, 2).map((r) => r.state)).toEqual(['sent', 'sent']);
    // Once sent, the stored copy no longer carries the key.
    expect(sent[0]!.body).not.toContain(result.lookupKey!);
  });

  it('retries while the gateway is down and delivers exactly once when it is back', async () => {
    await setup();
    await receive();
    providers.mode = 'down';
    await drainOnce(t.ctx, 'a');
    expect((await outbox())[0]).toMatchObject({ state: 'failed_temporary', attempts: 1 });
    minutes(1);
    providers.mode = 'refused';
    await drainOnce(t.ctx, 'a');
    expect((await outbox())[0]).toMatchObject({ state: 'failed_temporary', attempts: 2 });
    // Not before its next attempt is due.
    expect(await drainOnce(t.ctx, 'a')).toBe(0);
    providers.mode = 'ok';
    minutes(2);
    await drainOnce(t.ctx, 'a');
    minutes(60);
    await drainOnce(t.ctx, 'a');
    expect((await outbox())[0]).toMatchObject({ state: 'sent', attempts: 3 });
    expect(providers.delivered('/sms')).toHaveLength(1);
  });

  it('does not retry a permanent error, lists it as failed with an alert, and resends it on request', async () => {
    await setup();
    const { code } = await receive();
    providers.mode = 'permanent';
    await drainOnce(t.ctx, 'a');
    minutes(30);
    await drainOnce(t.ctx, 'a');
    expect((await outbox())[0]).toMatchObject({ state: 'failed_permanent', attempts: 1 });
    expect(providers.requests.filter((r) => r.path === '/sms')).toHaveLength(1);
    expect(
      await t.ctx.db
        .selectFrom('audit_events')
        .select('action')
        .where('action', '=', 'notification.failed')
        .execute(),
    ).toHaveLength(1);
    const agent = await loginAs(t.app, 'canbo');
    expect((await agent.get('/ho-so/hom-nay')).text).toContain(
      '1 thông báo cho công dân không gửi được',
    );
    const failed = await agent.get('/thong-bao/loi');
    expect(failed.text).toContain(code!);
    const token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 't', null);
    const id = (await outbox())[0]!.id;
    expect(
      (
        await request(t.app)
          .post(`/api/v1/notifications/${id}/resend`)
          .set('authorization', `Bearer ${token}`)
      ).status,
    ).toBe(200);
    expect(
      (
        await request(t.app)
          .post(`/api/v1/notifications/${id}/resend`)
          .set('authorization', `Bearer ${token}`)
      ).status,
    ).toBe(409);
    providers.mode = 'ok';
    await drainOnce(t.ctx, 'a');
    expect((await outbox())[0]!.state).toBe('sent');
    const listed = await request(t.app)
      .get(`/api/v1/dossiers/${code}/notifications`)
      .set('authorization', `Bearer ${token}`);
    expect(
      listed.body.notifications.map((n: { kind: string; state: string }) => `${n.kind}:${n.state}`),
    ).toEqual(['receipt:sent', 'reminder:queued']);
    expect(listed.body.consent).toEqual({ channels: ['sms'], email: null });
  });

  it('gives up when a ZNS template is refused, without retrying', async () => {
    await setup();
    await receive({ notify: ['zalo'] });
    providers.mode = 'zns_error';
    await drainOnce(t.ctx, 'a');
    expect((await outbox())[0]).toMatchObject({
      state: 'failed_permanent',
      last_error: expect.stringContaining('-124'),
    });
  });

  it('never lets two senders send one message twice', async () => {
    await setup({ NOTIFY_DAILY_CAP: '100' });
    for (let i = 0; i < 12; i++) await receive({ phone: `09123456${String(10 + i)}` });
    await Promise.all([drainOnce(t.ctx, 'a'), drainOnce(t.ctx, 'b'), drainOnce(t.ctx, 'c')]);
    await Promise.all([drainOnce(t.ctx, 'a'), drainOnce(t.ctx, 'b')]);
    const ids = providers.delivered('/sms').map((b) => b.id);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect(
      (await outbox()).filter((r) => r.kind === 'receipt').every((r) => r.state === 'sent'),
    ).toBe(true);
  });

  it('holds SMS through the quiet hours and past the daily cap per phone, but not e-mail', async () => {
    await setup({ NOTIFY_DAILY_CAP: '2' }, '2026-03-10T15:30:00Z'); // 22:30 local
    await receive();
    expect(await drainOnce(t.ctx, 'a')).toBe(0);
    t.clock.set('2026-03-11T00:05:00Z'); // 07:05 local
    expect(await drainOnce(t.ctx, 'a')).toBe(1);
    for (const action of ['start_processing', 'mark_result_ready'] as const) {
      const { code } = await t.ctx.db
        .selectFrom('dossiers')
        .select('code')
        .executeTakeFirstOrThrow();
      const { version } = await t.ctx.db
        .selectFrom('dossiers')
        .select('version')
        .executeTakeFirstOrThrow();
      await performDossierAction(t.ctx, await accountNamed(t.ctx, 'canbo'), code!, action, {
        version: String(version),
      });
    }
    await receive({ phone: '0912345678' }); // the same phone: its third message today
    minutes(1);
    await drainOnce(t.ctx, 'a');
    const rows = await outbox();
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(2);
    const held = rows.find((r) => r.state === 'queued' && r.kind === 'receipt')!;
    expect(held.last_error).toBe('daily cap');
    expect(held.next_attempt_at).toBe('2026-03-12T00:00:00.000Z'); // tomorrow 07:00, after the quiet hours
  });

  it('accepts delivery receipts with the channel token only', async () => {
    await setup();
    await receive();
    await drainOnce(t.ctx, 'a');
    const providerId = (await outbox())[0]!.provider_id!;
    expect(
      (
        await request(t.app)
          .post('/api/v1/notifications/receipts/sms?token=wrong')
          .send({ id: providerId, status: 'delivered' })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(t.app)
          .post('/api/v1/notifications/receipts/sms?token=gateway-secret')
          .send({ id: providerId, status: 'maybe' })
      ).status,
    ).toBe(422);
    const ok = await request(t.app)
      .post('/api/v1/notifications/receipts/sms?token=gateway-secret')
      .send({ id: providerId, status: 'delivered' });
    expect(ok.body).toEqual({ updated: true });
    expect((await outbox())[0]).toMatchObject({ state: 'delivered' });
  });

  it('receipts are audited, scoped to the gateway’s offices, and never turn delivered back (item 6)', async () => {
    await setup();
    const [own, other] = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .orderBy('id')
      .limit(2)
      .execute();
    const canbo = await accountNamed(t.ctx, 'canbo');
    const officeId = (
      await t.ctx.db
        .selectFrom('accounts')
        .select('office_id')
        .where('id', '=', canbo.id)
        .executeTakeFirstOrThrow()
    ).office_id;
    const otherId = officeId === own!.id ? other!.id : own!.id;
    // The message's office sends through its own gateway; another office has one too.
    await t.ctx.db
      .updateTable('offices')
      .set({ sms_gateway_url: `${providers.url}/sms`, sms_gateway_token: 'office-secret' })
      .where('id', '=', officeId)
      .execute();
    await t.ctx.db
      .updateTable('offices')
      .set({ sms_gateway_url: `${providers.url}/sms`, sms_gateway_token: 'other-secret' })
      .where('id', '=', otherId)
      .execute();
    t.ctx.masterData.invalidate();
    await receive();
    await drainOnce(t.ctx, 'a');
    const message = (await outbox()).find((r) => r.channel === 'sms' && r.state === 'sent')!;
    const receipt = (token: string, status: string) =>
      request(t.app)
        .post(`/api/v1/notifications/receipts/sms?token=${token}`)
        .send({ id: message.provider_id, status });
    // Neither the installation's token nor another office's may touch this office's message.
    expect((await receipt('gateway-secret', 'failed')).body).toEqual({ updated: false });
    expect((await receipt('other-secret', 'failed')).body).toEqual({ updated: false });
    // The office's own token is accepted.
    expect((await receipt('office-secret', 'delivered')).body).toEqual({ updated: true });
    // A late "failed" does not turn a delivered message into a failure.
    expect((await receipt('office-secret', 'failed')).body).toEqual({ updated: false });
    expect((await outbox()).find((r) => r.id === message.id)).toMatchObject({
      state: 'delivered',
      last_error: null,
    });
    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'subject'])
      .where('action', 'like', 'notification.deliver%')
      .execute();
    expect(audit).toEqual([{ action: 'notification.delivered', subject: `#${message.id}` }]);
  });

  it('runs without credentials on the log channel, and fails for good when the retry window closes', async () => {
    providers = await startFakeProviders();
    t = await createTestApp({
      env: { NOTIFY_RETRY_HOURS: '0.05', SMS_GATEWAY_URL: `${providers.url}/sms` },
    });
    cleanups.push(
      () => t.close(),
      () => providers.close(),
    );
    await receive({ notify: ['sms', 'email'], email: 'an@example.vn' });
    providers.mode = 'down';
    await drainOnce(t.ctx, 'a');
    const rows = await outbox();
    expect(rows.find((r) => r.channel === 'email' && r.kind === 'receipt')).toMatchObject({
      state: 'delivered',
      provider_id: expect.stringMatching(/^log-/),
    });
    for (let i = 0; i < 5; i++) {
      minutes(2);
      await drainOnce(t.ctx, 'a');
    }
    expect((await outbox()).find((r) => r.channel === 'sms' && r.kind === 'receipt')).toMatchObject(
      { state: 'failed_permanent' },
    );
  });

  it('sends e-mail through SMTP with Vietnamese intact', async () => {
    const received: { to: string; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, done) {
        let data = '';
        stream.on('data', (c: Buffer) => {
          data += c.toString('utf8');
        });
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const port = (smtp.server.address() as AddressInfo).port;
    await setup({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Mot Cua <motcua@example.vn>' });
    cleanups.push(() => new Promise((resolve) => smtp.close(() => resolve())));
    await receive({ notify: ['email'], email: 'dung@example.vn' });
    await drainOnce(t.ctx, 'a');
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toBe('dung@example.vn');
    expect(received[0]!.data).toMatch(/Subject: =\?UTF-8\?/i);
    expect((await outbox())[0]).toMatchObject({ channel: 'email', state: 'sent' });
  });
});

describe('offices and reports', () => {
  it('sends through an office’s own gateway where it has one, and counts messages per channel and state in the report', async () => {
    await setup();
    const admin = await loginAs(t.app, 'quantri');
    const office = await t.ctx.db
      .selectFrom('offices')
      .selectAll()
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const page = await admin.get(`/quan-tri/don-vi/${office.id}`);
    const form = {
      _csrf: csrfFrom(page.text),
      code: office.code,
      name: office.name,
      short_name: office.short_name,
      valid_from: office.valid_from,
      parent_id: String(office.parent_id ?? ''),
    };
    expect(
      (
        await admin
          .post(`/quan-tri/don-vi/${office.id}`)
          .type('form')
          .send({ ...form, sms_gateway_url: 'ftp://x' })
      ).status,
    ).toBe(422);
    expect(
      (
        await admin
          .post(`/quan-tri/don-vi/${office.id}`)
          .type('form')
          .send({
            ...form,
            sms_gateway_url: `${providers.url}/sms-own`,
            sms_gateway_token: 'own-secret',
          })
      ).status,
    ).toBe(303);
    expect((await admin.get(`/quan-tri/don-vi/${office.id}`)).text).not.toContain('own-secret');
    await receive({ notify: ['sms', 'email'], email: 'an@example.vn' });
    await drainOnce(t.ctx, 'a');
    const own = providers.requests.filter((r) => r.path === '/sms-own');
    expect(own).toHaveLength(1);
    expect(own[0]!.headers.authorization).toBe('Bearer own-secret');
    const lead = await loginAs(t.app, 'lanhdao');
    const report = await lead.get('/bao-cao?period=month');
    const row = (channel: string) =>
      new RegExp(`<tr data-channel="${channel}">(.*?)</tr>`).exec(report.text)?.[1] ?? '';
    const cells = (channel: string) =>
      [...row(channel).matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    // States in order: queued, sending, sent, delivered, failed_temporary, failed_permanent, cancelled.
    expect(cells('sms')).toEqual([1, 0, 1, 0, 0, 0, 0]); // the receipt sent, the reminder queued
    expect(cells('email')).toEqual([1, 0, 0, 1, 0, 0, 0]); // the log channel delivers at once
  });
});

describe('consent and templates on the pages', () => {
  it('refuses consent without a number or address, changes it at the counter, and edits templates with a preview', async () => {
    await setup();
    await expect(receive({ notify: ['sms'], phone: '' })).rejects.toMatchObject({
      fields: { notify: expect.stringContaining('số điện thoại') },
    });
    await expect(receive({ notify: ['fax'] })).rejects.toMatchObject({
      fields: { notify: expect.any(String) },
    });
    const { code } = await receive({ notify: [] });
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get(`/ho-so/${code}`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const bad = await agent
      .post(`/ho-so/${code}/thong-bao`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, notify: 'email', email: '' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Cần địa chỉ thư điện tử');
    const ok = await agent
      .post(`/ho-so/${code}/thong-bao`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version,
        notify: ['sms', 'email'],
        email: 'An@Example.vn',
      });
    expect(ok.status).toBe(303);
    expect(
      await t.ctx.db
        .selectFrom('dossiers')
        .select(['notify_channels', 'email'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow(),
    ).toEqual({ notify_channels: 'sms,email', email: 'an@example.vn' });

    const admin = await loginAs(t.app, 'quantri');
    const templates = await admin.get('/quan-tri/mau-thong-bao');
    expect(templates.text).toContain('tin SMS');
    const refused = await admin
      .post('/quan-tri/mau-thong-bao/receipt')
      .type('form')
      .send({
        _csrf: csrfFrom(templates.text),
        subject: 'Hồ sơ {ma_ho_so}',
        body: 'Hồ sơ {ma_ho_so} của {so_dinh_danh}',
        zalo_template_id: '',
      });
    expect(refused.status).toBe(422);
    const saved = await admin
      .post('/quan-tri/mau-thong-bao/result_ready')
      .type('form')
      .send({
        _csrf: csrfFrom(templates.text),
        subject: 'Kết quả {ma_ho_so}',
        body: 'Hồ sơ {ma_ho_so} đã có kết quả, mời đến nhận.',
        zalo_template_id: '231456',
      });
    expect(saved.status).toBe(303);
    const { version: v2 } = await t.ctx.db
      .selectFrom('dossiers')
      .select('version')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    await performDossierAction(
      t.ctx,
      await accountNamed(t.ctx, 'canbo'),
      code!,
      'mark_result_ready',
      { version: String(v2) },
    );
    const ready = (await outbox()).filter((r) => r.kind === 'result_ready');
    expect(ready.map((r) => r.channel)).toEqual(['sms', 'email']);
    expect(ready[0]!.body).toBe(`Hồ sơ ${code} đã có kết quả, mời đến nhận.`);
    expect((await agent.get(`/ho-so/${code}`)).text).toContain('Chờ gửi');
  });
});
