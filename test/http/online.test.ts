import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed } from '../support/factories.js';
import { createFilesApp, tokenApp, type FilesApp } from '../support/files-helpers.js';
import { deliver, delivery, portalToken } from '../support/online.js';
import { csrfFrom, loginAs } from '../support/test-app.js';

let t: FilesApp;
afterEach(() => t?.close());

const count = async (table: 'online_dossiers' | 'online_dossier_files' | 'dossiers') =>
  (await t.ctx.db.selectFrom(table).select('id').execute()).length;

describe('the online inbox', () => {
  it('takes a delivery once per portal code, lists it, and accepts it as an online dossier with its files', async () => {
    t = await createFilesApp('fs');
    const portal = await portalToken(t);
    const body = await delivery(t);
    const first = await deliver(t, portal, body);
    expect(first.status).toBe(201);
    expect(first.body.online_dossier).toMatchObject({
      portal_code: 'G22.99-260310-0001',
      state: 'pending',
      procedure: { code: '2.000200' },
      applicant: { name: 'Nguyễn Văn An' },
      // Tuesday 09:00 plus 8 working hours (the demo office works 7.5 a day): Wednesday 09:30.
      check_due_at: '2026-03-11T02:30:00.000Z',
    });
    expect(first.body.online_dossier.files).toHaveLength(2);
    const again = await deliver(t, portal, body);
    expect(again.status).toBe(200);
    expect(again.body.online_dossier.id).toBe(first.body.online_dossier.id);
    expect([await count('online_dossiers'), await count('online_dossier_files')]).toEqual([1, 2]);
    // The same code with other content is not a replay.
    const changed = await deliver(t, portal, { ...body, note: 'khác' });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('portal_code_delivered');

    const list = await t.api.get('/api/v1/online-dossiers');
    expect(list.status).toBe(200);
    expect(list.body.online_dossiers.map((e: { portal_code: string }) => e.portal_code)).toEqual([
      'G22.99-260310-0001',
    ]);
    const page = await (await loginAs(t.app, 'canbo')).get('/truc-tuyen');
    expect(page.status).toBe(200);
    expect(page.text).toContain('G22.99-260310-0001');
    // Counted on the board; late once the check's deadline has passed.
    const officer = await loginAs(t.app, 'canbo');
    const counts = (html: string) =>
      [
        .../data-online-counts>([\s\S]*?)<\/ul>/
          .exec(html)![1]!
          .matchAll(/<strong>(\d+)<\/strong>/g),
      ].map((m) => m[1]);
    expect(counts((await officer.get('/ho-so/hom-nay')).text)).toEqual(['1', '0']);
    t.clock.set('2026-03-11T02:30:01Z');
    expect(counts((await officer.get('/ho-so/hom-nay')).text)).toEqual(['1', '1']);
    expect((await t.api.get('/api/v1/online-dossiers')).body.online_dossiers[0].late).toBe(true);
    t.clock.set('2026-03-10T02:00:00Z');

    const id = first.body.online_dossier.id;
    const accepted = await t.api.post(`/api/v1/online-dossiers/${id}/accept`, {});
    expect(accepted.status).toBe(200);
    const code = accepted.body.dossier.code;
    expect(code).toMatch(/^000\.00\.13\.H40-260310-\d{4}$/);
    expect(accepted.body.online_dossier).toMatchObject({ state: 'accepted', dossier: { code } });
    const dossier = await t.api.get(`/api/v1/dossiers/${code}`);
    expect(dossier.body.dossier).toMatchObject({
      receiving_channel: 'online',
      status: 'received',
      applicant: { personal_id: '035090001234' },
    });
    const files = await t.ctx.db
      .selectFrom('dossier_files')
      .select(['component', 'state', 'pages'])
      .where('dossier_id', '=', accepted.body.dossier.id)
      .orderBy('component')
      .execute();
    expect(files.map((f) => [f.state, f.pages])).toEqual([
      ['digitised', 2],
      ['digitised', 1],
    ]);
    const again2 = await t.api.post(`/api/v1/online-dossiers/${id}/accept`, {});
    expect(again2.status).toBe(409);
    expect(await count('dossiers')).toBe(1);
    // The report counts it as received online.
    const lanhdao = tokenApp(
      t,
      await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'lanhdao')).id, 'l', null),
      t.filesDir,
    );
    const report = await lanhdao.api.get('/api/v1/reports/summary?from=2026-03-10&to=2026-03-10');
    expect(report.body.figures.receivedByChannel).toEqual({ counter: 0, online: 1, post: 0 });
    // The dossier's page shows "trực tuyến".
    const agent = await loginAs(t.app, 'canbo');
    expect((await agent.get(`/ho-so/${code}`)).text).toContain('Trực tuyến (Cổng dịch vụ công)');
  });

  it('answers a malformed delivery with field errors and saves nothing', async () => {
    t = await createFilesApp('fs');
    const portal = await portalToken(t);
    const good = await delivery(t);
    const cases: [unknown, string][] = [
      [{ ...good, portal_code: 'có dấu' }, 'portal_code'],
      [{ ...good, procedure_code: '9.999999' }, 'procedure_code'],
      [{ ...good, submitted_at: 'hôm qua' }, 'submitted_at'],
      [{ ...good, return_channel: 'pigeon' }, 'return_channel'],
      [{ ...good, applicant: { ...good.applicant, personal_id: '12' } }, 'applicant.personal_id'],
      [{ ...good, applicant: { ...good.applicant, phone: 'abc' } }, 'applicant.phone'],
      [{ ...good, components: [] }, 'components'],
      [{ ...good, components: [good.components[1]] }, 'components'],
      [
        { ...good, components: [{ ...good.components[0], document_id: 999_999 }] },
        'components.0.document_id',
      ],
      [
        {
          ...good,
          components: [
            {
              ...good.components[0],
              files: [{ name: 'x.pdf', content_type: 'application/pdf', data_base64: '@@@' }],
            },
          ],
        },
        'components.0.files.0.data_base64',
      ],
      [
        {
          ...good,
          components: [
            {
              ...good.components[0],
              files: [
                {
                  name: 'virus.pdf',
                  content_type: 'application/pdf',
                  data_base64: Buffer.from('MZ not a pdf').toString('base64'),
                },
              ],
            },
          ],
        },
        'components.0.files.0.data_base64',
      ],
      [
        {
          ...good,
          components: [
            {
              ...good.components[0],
              files: [{ ...good.components[0]!.files[0]!, content_type: 'image/png' }],
            },
          ],
        },
        'components.0.files.0.content_type',
      ],
    ];
    for (const [body, field] of cases) {
      const r = await deliver(t, portal, body);
      expect(r.status, field).toBe(422);
      expect(Object.keys(r.body.error.fields), field).toContain(field);
    }
    const notJson = await request(t.app)
      .post('/api/v1/online-dossiers')
      .set('authorization', `Bearer ${portal}`)
      .set('content-type', 'application/json')
      .send('{"portal_code":');
    expect(notJson.status).toBe(400);
    expect([await count('online_dossiers'), await count('online_dossier_files')]).toEqual([0, 0]);
  });

  it('takes deliveries only with a portal token, and a portal token only delivers', async () => {
    t = await createFilesApp('fs');
    const portal = await portalToken(t);
    const body = await delivery(t);
    expect((await request(t.app).post('/api/v1/online-dossiers').send(body)).status).toBe(401);
    // Without a token, a large body meets the app's small parser, not the delivery's.
    const big = await request(t.app)
      .post('/api/v1/online-dossiers')
      .send({ ...body, note: 'x'.repeat(200_000) });
    expect(big.status).toBe(413);
    const full = await t.api.post('/api/v1/online-dossiers', body);
    expect([full.status, full.body.error.code]).toEqual([403, 'token_scope']);
    const auth = (r: request.Test) => r.set('authorization', `Bearer ${portal}`);
    expect((await auth(request(t.app).get('/api/v1/online-dossiers'))).status).toBe(403);
    expect((await auth(request(t.app).get('/api/v1/dossiers'))).status).toBe(403);
    expect((await auth(request(t.app).post('/api/v1/online-dossiers/1/accept'))).status).toBe(403);
    expect(await count('online_dossiers')).toBe(0);
  });

  it('asks for a supplement and refuses on the page, with the reason checked, and takes the supplement', async () => {
    t = await createFilesApp('fs');
    const portal = await portalToken(t);
    const body = await delivery(t);
    const id = (await deliver(t, portal, body)).body.online_dossier.id;
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get(`/truc-tuyen/${id}`);
    expect(page.text).toContain('to-khai.pdf');
    const short = await agent
      .post(`/truc-tuyen/${id}/bo-sung`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reason: 'thiếu' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('Nhập lý do');
    const asked = await agent
      .post(`/truc-tuyen/${id}/bo-sung`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reason: 'Ảnh chân dung không đạt chuẩn, chụp lại.' });
    expect([asked.status, asked.headers.location]).toEqual([303, `/truc-tuyen/${id}`]);
    const view = await t.api.get(`/api/v1/online-dossiers/${id}`);
    expect(view.body.online_dossier.state).toBe('supplement_requested');
    expect(view.body.sync.state).toBe('pending');
    expect((await t.api.post(`/api/v1/online-dossiers/${id}/accept`, {})).status).toBe(409);

    // The portal delivers the supplement under the same code: the files are replaced.
    const supplement = await deliver(t, portal, { ...body, note: 'Đã chụp lại ảnh' });
    expect(supplement.status).toBe(201);
    expect(supplement.body.online_dossier).toMatchObject({ id, state: 'pending' });
    expect(await count('online_dossier_files')).toBe(4);

    const refused = await t.api.post(`/api/v1/online-dossiers/${id}/refuse`, {
      reason: 'Người nộp chưa đủ 14 tuổi.',
    });
    expect(refused.status).toBe(200);
    expect(refused.body.online_dossier).toMatchObject({
      state: 'refused',
      decided_by: 'Trần Thị Hoa',
    });
    const rows = await t.ctx.db
      .selectFrom('portal_sync_rows')
      .select(['change', 'national_status'])
      .orderBy('seq')
      .execute();
    expect(rows).toEqual([
      { change: 'online_supplement', national_status: '5' },
      { change: 'online_refused', national_status: '3' },
    ]);
  });

  it('lets only the counter of the same office decide', async () => {
    t = await createFilesApp('fs');
    const id = (await deliver(t, await portalToken(t), await delivery(t))).body.online_dossier.id;
    const xuly = tokenApp(
      t,
      await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'xuly')).id, 'x', null),
      t.filesDir,
    );
    const denied = await xuly.api.post(`/api/v1/online-dossiers/${id}/accept`, {});
    expect([denied.status, denied.body.error.code]).toEqual([403, 'counter_only']);
    expect((await t.api.get('/api/v1/online-dossiers/999999')).status).toBe(404);
    expect((await t.api.get('/api/v1/online-dossiers?state=nonsense')).status).toBe(422);
    const short = await t.api.post(`/api/v1/online-dossiers/${id}/refuse`, { reason: 'ngắn' });
    expect([short.status, Object.keys(short.body.error.fields)]).toEqual([422, ['reason']]);
    expect(await count('dossiers')).toBe(0);
  });
});
