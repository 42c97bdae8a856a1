import { afterEach, describe, expect, it } from 'vitest';
import { saveTemplate } from '../../src/notifications/admin.service.js';
import { drainOnce } from '../../src/notifications/sender.js';
import { accountNamed } from '../support/factories.js';
import { startFakeProviders, type FakeProviders } from '../support/fake-providers.js';
import { createFilesApp, type FilesApp } from '../support/files-helpers.js';
import { deliver, delivery, portalToken } from '../support/online.js';
import { csrfFrom, loginAs } from '../support/test-app.js';

let t: FilesApp;
let providers: FakeProviders;
afterEach(async () => {
  await t?.close();
  await providers?.close();
});

async function setup() {
  providers = await startFakeProviders();
  t = await createFilesApp('fs', {
    SMS_GATEWAY_URL: `${providers.url}/sms`,
    SMS_GATEWAY_TOKEN: 'gateway-secret',
  });
}

const outbox = () =>
  t.ctx.db
    .selectFrom('notifications')
    .select(['kind', 'channel', 'recipient', 'body', 'state', 'dossier_id'])
    .orderBy('id')
    .execute();

describe("the online applicant's message", () => {
  it('queues one SMS with the reason when a supplement is asked, and the sender delivers it', async () => {
    await setup();
    const portal = await portalToken(t);
    const body = await delivery(t);
    const id = (await deliver(t, portal, body)).body.online_dossier.id;
    const reason = 'Ảnh chân dung không đạt chuẩn, chụp lại.';
    const asked = await t.api.post(`/api/v1/online-dossiers/${id}/request-supplement`, { reason });
    expect(asked.status).toBe(200);
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'online_supplement',
      channel: 'sms',
      recipient: '0912345678',
      state: 'queued',
      dossier_id: null,
    });
    expect(rows[0]!.body).toContain('G22.99-260310-0001');
    expect(rows[0]!.body).toContain(reason);
    // Never the ID number, the address or the birth date.
    for (const secret of ['035090001234', 'Thôn 3', '1990'])
      expect(rows[0]!.body).not.toContain(secret);
    // Asked again (already decided): 409, nothing more queued.
    const again = await t.api.post(`/api/v1/online-dossiers/${id}/refuse`, { reason });
    expect(again.status).toBe(409);
    expect(await outbox()).toHaveLength(1);

    expect(await drainOnce(t.ctx, 'a')).toBe(1);
    const sms = providers.delivered('/sms');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: '0912345678' });
    expect(String(sms[0]!.text)).toContain(reason);
    expect((await outbox())[0]!.state).toBe('sent');
  });

  it('queues one SMS on a refusal; none for a refused decision or an applicant without a phone', async () => {
    await setup();
    const portal = await portalToken(t);
    const id = (await deliver(t, portal, await delivery(t))).body.online_dossier.id;
    // Too short a reason: 422, nothing queued.
    const short = await t.api.post(`/api/v1/online-dossiers/${id}/refuse`, { reason: 'ngắn' });
    expect(short.status).toBe(422);
    expect(await outbox()).toEqual([]);

    const reason = 'Người nộp chưa đủ 14 tuổi.';
    const refused = await t.api.post(`/api/v1/online-dossiers/${id}/refuse`, { reason });
    expect(refused.status).toBe(200);
    const rows = await outbox();
    expect(rows.map((r) => `${r.kind}:${r.channel}:${r.recipient}`)).toEqual([
      'online_refused:sms:0912345678',
    ]);
    expect(rows[0]!.body).toContain('G22.99-260310-0001');
    expect(rows[0]!.body).toContain(reason);
    expect(await drainOnce(t.ctx, 'a')).toBe(1);
    expect(providers.delivered('/sms')).toHaveLength(1);

    // No phone given to the portal: decided, nothing to send.
    const base = await delivery(t, { portal_code: 'G22.99-260310-0002' });
    const silent = (
      await deliver(t, portal, { ...base, applicant: { ...base.applicant, phone: '' } })
    ).body.online_dossier.id;
    const decided = await t.api.post(`/api/v1/online-dossiers/${silent}/refuse`, { reason });
    expect(decided.status).toBe(200);
    expect(await outbox()).toHaveLength(1);
  });

  it('uses the template the administrator saved', async () => {
    await setup();
    await saveTemplate(t.ctx, await accountNamed(t.ctx, 'quantri'), 'online_supplement', {
      subject: 'Bổ sung {ma_tren_cong}',
      body: 'Mẫu riêng: {ma_tren_cong} cần bổ sung vì {ly_do}',
    });
    const id = (await deliver(t, await portalToken(t), await delivery(t))).body.online_dossier.id;
    const reason = 'Thiếu tờ khai có chữ ký.';
    await t.api.post(`/api/v1/online-dossiers/${id}/request-supplement`, { reason });
    expect((await outbox())[0]!.body).toBe(
      `Mẫu riêng: G22.99-260310-0001 cần bổ sung vì ${reason}`,
    );
  });

  it('says on the page that the applicant is told by SMS', async () => {
    await setup();
    const id = (await deliver(t, await portalToken(t), await delivery(t))).body.online_dossier.id;
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get(`/truc-tuyen/${id}`);
    const asked = await agent
      .post(`/truc-tuyen/${id}/tu-choi`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reason: 'Người nộp chưa đủ 14 tuổi.' });
    expect([asked.status, asked.headers.location]).toEqual([303, `/truc-tuyen/${id}`]);
    expect((await agent.get(`/truc-tuyen/${id}`)).text).toContain(
      'Đã xếp tin nhắn SMS báo công dân qua số điện thoại đã khai.',
    );
    expect((await outbox()).map((r) => r.kind)).toEqual(['online_refused']);
  });
});
