import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumPdf, makePdf } from '../support/file-fixtures.js';
import { createFilesApp, receive, type FilesApp } from '../support/files-helpers.js';

let t: FilesApp;
afterEach(() => t?.close());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function act(code: string, action: string, body: Record<string, unknown> = {}) {
  const d = await t.api.get(`/api/v1/dossiers/${code}`);
  const res = await t.api.post(`/api/v1/dossiers/${code}/actions/${action}`, {
    version: d.body.dossier.version,
    ...body,
  });
  if (res.status >= 300) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
}
const download = (form: Record<string, string>, ip = '10.0.0.1') =>
  request(t.app)
    .post('/tra-cuu/ket-qua')
    .set('x-forwarded-for', ip)
    .type('form')
    .send(form)
    .buffer(true)
    .parse((res, done) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => done(null, Buffer.concat(parts)));
    });
const resultEvents = () =>
  t.ctx.db
    .selectFrom('access_events')
    .selectAll()
    .where('action', '=', 'result.downloaded')
    .execute();

describe('the electronic result (kết quả điện tử)', () => {
  it('is downloaded by the citizen from the lookup page with code, key and the ID number’s last four digits, and logged', async () => {
    t = await createFilesApp('database', { TRUST_PROXY: 'true' });
    const d = await receive(t);
    const result = makePdf({ pages: 1, padBytes: 20_000 });
    await t.api.upload(d.code, 'result', [{ name: 'ket-qua.pdf', bytes: result }]).expect(201);
    const lookup = () => request(t.app).get(`/tra-cuu?ma=${d.code}&khoa=${d.key}`);
    expect((await lookup()).text).not.toContain('/tra-cuu/ket-qua'); // not before the result is ready
    await act(d.code, 'mark_result_ready');
    const page = await lookup();
    expect(page.text).toContain('action="/tra-cuu/ket-qua"');
    expect(page.text).toContain('Bốn số cuối số định danh cá nhân');
    const api = await request(t.app).get(`/api/v1/lookup?code=${d.code}&key=${d.key}`);
    expect(api.body.dossier.electronicResultFiles).toBe(1);

    const got = await download({ ma: d.code, khoa: d.key, so_cuoi: '1234' });
    expect(got.status).toBe(200);
    expect(sha256(got.body as Buffer)).toBe(sha256(result));
    expect(got.headers['content-disposition']).toMatch(
      /^attachment; filename=".*-ket-qua-1\.pdf"$/,
    );
    expect(got.headers['content-security-policy']).toBe(
      "sandbox; default-src 'none'; frame-ancestors 'self'",
    );
    const events = await resultEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ account_id: null, subject: d.code });
    // The access log lists the citizen's download with the officers' views.
    const admin = await (await import('../support/test-app.js')).loginAs(t.app, 'quantri');
    const log = await admin.get('/quan-tri/truy-cap?action=result.downloaded');
    expect(log.text).toContain('Công dân (tự tra cứu)');
  });

  it('gives nothing to a stranger without the key or the extra fact, and stops a guesser of the digits', async () => {
    t = await createFilesApp('fs', { TRUST_PROXY: 'true' });
    const d = await receive(t);
    await t.api.upload(d.code, 'result', [{ name: 'kq.pdf', bytes: chromiumPdf() }]).expect(201);
    await act(d.code, 'mark_result_ready');
    const noKey = await download({ ma: d.code, khoa: 'ABCDEFGH', so_cuoi: '1234' });
    expect(noKey.status).toBe(404);
    expect(noKey.headers['content-type']).toMatch(/text\/html/);
    const noFact = await download({ ma: d.code, khoa: d.key, so_cuoi: '' });
    expect(noFact.status).toBe(422);
    const wrong = await download({ ma: d.code, khoa: d.key, so_cuoi: '9999' });
    expect(wrong.status).toBe(422);
    expect((wrong.body as Buffer).toString()).toContain('Thông tin không khớp');
    // Ten wrong tries for this dossier from many addresses: then even the right digits wait.
    for (let i = 0; i < 9; i++)
      expect(
        (await download({ ma: d.code, khoa: d.key, so_cuoi: String(1000 + i) }, `10.1.0.${i}`))
          .status,
      ).toBe(422);
    const locked = await download({ ma: d.code, khoa: d.key, so_cuoi: '1234' }, '10.2.0.1');
    expect(locked.status).toBe(429);
    expect((locked.body as Buffer).toString()).toContain('nhập sai quá nhiều lần');
    expect(await resultEvents()).toHaveLength(0);
    t.clock.advanceMinutes(24 * 60 + 1);
    expect((await download({ ma: d.code, khoa: d.key, so_cuoi: '1234' }, '10.2.0.1')).status).toBe(
      200,
    );
    expect(await resultEvents()).toHaveLength(1);
  });

  it('limits requests per address like the lookup', async () => {
    t = await createFilesApp('fs', { TRUST_PROXY: 'true', LOOKUP_RATE_LIMIT_PER_MIN: '3' });
    const d = await receive(t);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await download({ ma: d.code, khoa: d.key, so_cuoi: '1234' })).status);
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });

  it('is attached only while the dossier is processed or has its result, by the office', async () => {
    t = await createFilesApp('fs');
    const guided = await t.api.post('/api/v1/dossiers', {
      ...(await (await import('../support/factories.js')).validIntake(t.ctx)),
      outcome: 'guide',
      documents: [],
    });
    expect(guided.status).toBe(201);
    const g = await t.api.upload(String(guided.body.dossier.id), 'result', [
      { name: 'a.pdf', bytes: chromiumPdf() },
    ]);
    expect(g.status).toBe(409);
    const d = await receive(t);
    await act(d.code, 'withdraw', { reason: 'Công dân xin rút hồ sơ' });
    const w = await t.api.upload(d.code, 'result', [{ name: 'a.pdf', bytes: chromiumPdf() }]);
    expect(w.status).toBe(409);
    expect(w.body.error.message).toContain('Chỉ đính kèm kết quả');
  });
});
