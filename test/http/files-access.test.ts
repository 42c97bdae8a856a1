import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed, createOfficerAt } from '../support/factories.js';
import { chromiumJpeg, chromiumPdf } from '../support/file-fixtures.js';
import { createFilesApp, receive, tokenApp, type FilesApp } from '../support/files-helpers.js';
import { csrfOf, loginAs } from '../support/test-app.js';

let t: FilesApp;
let d: Awaited<ReturnType<typeof receive>>;
let fileId: number;
beforeEach(async () => {
  t = await createFilesApp('fs');
  d = await receive(t);
  const up = await t.api.upload(d.code, d.components[0]!, [
    { name: 'a.jpg', bytes: chromiumJpeg() },
  ]);
  fileId = up.body.component.files[0].id;
  await createOfficerAt(t.ctx, '000.11.13.H40', 'xa1');
});
afterEach(() => t.close());

async function tokenFor(username: string, scope: 'full' | 'read' | 'kiosk' = 'full') {
  const token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, username)).id, 'x', null, {
    scope,
  });
  return tokenApp(t, token, t.filesDir);
}
const accessEvents = (action: string) =>
  t.ctx.db.selectFrom('access_events').selectAll().where('action', '=', action).execute();

describe('who may do what with a dossier’s files', () => {
  it('asks for a login on every page and a token on every API route', async () => {
    const anon = request(t.app);
    const base = `/ho-so/${d.code}`;
    for (const path of [
      `${base}/giay-to/${d.components[0]}`,
      `${base}/dung-lai`,
      `/tep/${fileId}`,
    ]) {
      const res = await anon.get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/dang-nhap/);
    }
    for (const path of [
      `${base}/giay-to/${d.components[0]}/tep`,
      `${base}/giay-to/${d.components[0]}/ban-giay`,
      `${base}/giay-to/${d.components[0]}/dung-lai`,
    ])
      // A page's form without a session has no CSRF token: refused before the route.
      expect((await anon.post(path).attach('file', chromiumPdf(), 'a.pdf')).status).toBe(403);
    expect(
      (await anon.post(`/api/v1/dossiers/${d.code}/files`).attach('file', chromiumPdf(), 'a.pdf'))
        .status,
    ).toBe(401);
    expect((await anon.get(`/api/v1/dossiers/${d.code}/files`)).status).toBe(401);
    expect((await anon.get(`/api/v1/files/${fileId}/content`)).status).toBe(401);
    expect(
      (await anon.get('/api/v1/reports/digitisation?from=2026-03-01&to=2026-03-31')).status,
    ).toBe(401);
    expect(await t.ctx.db.selectFrom('dossier_files').selectAll().execute()).toHaveLength(1);
  });

  it('answers another office’s dossier and files exactly like missing ones', async () => {
    const xa = await tokenFor('xa1');
    expect(
      (await xa.api.upload(d.code, d.components[0]!, [{ name: 'a.pdf', bytes: chromiumPdf() }]))
        .status,
    ).toBe(404);
    expect((await xa.api.get(`/api/v1/dossiers/${d.code}/files`)).status).toBe(404);
    const other = await xa.api.get(`/api/v1/files/${fileId}/content`);
    const missing = await xa.api.get('/api/v1/files/999999/content');
    expect(other.status).toBe(404);
    expect(other.body).toEqual(missing.body);
    const page = await loginAs(t.app, 'xa1');
    const csrf = await csrfOf(page);
    expect((await page.get(`/tep/${fileId}`)).status).toBe(404);
    expect((await page.get(`/ho-so/${d.code}/giay-to/${d.components[0]}`)).status).toBe(404);
    expect((await page.get(`/ho-so/${d.code}/dung-lai`)).status).toBe(404);
    const post = await page
      .post(`/ho-so/${d.code}/giay-to/${d.components[0]}/tep`)
      .field('_csrf', csrf)
      .attach('file', chromiumPdf(), 'a.pdf');
    expect(post.status).toBe(404);
    const paper = await page
      .post(`/ho-so/${d.code}/giay-to/${d.components[1]}/ban-giay`)
      .type('form')
      .send({ _csrf: csrf, reason: 'Bản gốc đã xem' });
    expect(paper.status).toBe(404);
    expect(await t.ctx.db.selectFrom('dossier_files').selectAll().execute()).toHaveLength(1);
  });

  it('lets a read token read but not write, and a kiosk token do neither', async () => {
    const read = await tokenFor('canbo', 'read');
    expect((await read.api.get(`/api/v1/dossiers/${d.code}/files`)).status).toBe(200);
    expect((await read.api.get(`/api/v1/files/${fileId}/content`)).status).toBe(200);
    const write = await read.api.upload(d.code, d.components[0]!, [
      { name: 'a.pdf', bytes: chromiumPdf() },
    ]);
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('token_scope');
    const kiosk = await tokenFor('canbo', 'kiosk');
    expect((await kiosk.api.get(`/api/v1/dossiers/${d.code}/files`)).status).toBe(403);
    expect(
      (await kiosk.api.upload(d.code, d.components[0]!, [{ name: 'a.pdf', bytes: chromiumPdf() }]))
        .status,
    ).toBe(403);
    expect((await kiosk.api.get(`/api/v1/files/${fileId}/content`)).status).toBe(403);
  });

  it('lets the supervisor above see and attach, and keeps the counts for supervisors and administrators', async () => {
    const boss = await tokenFor('lanhdao');
    expect((await boss.api.get(`/api/v1/files/${fileId}/content`)).status).toBe(200);
    expect(
      (await boss.api.upload(d.code, 'result', [{ name: 'kq.pdf', bytes: chromiumPdf() }])).status,
    ).toBe(201);
    expect(
      (await boss.api.get('/api/v1/reports/digitisation?from=2026-03-01&to=2026-03-31')).status,
    ).toBe(200);
    const officer = await t.api.get('/api/v1/reports/digitisation?from=2026-03-01&to=2026-03-31');
    expect(officer.status).toBe(403);
    const bad = await boss.api.get('/api/v1/reports/digitisation?from=2026-03-01&to=hôm-nay');
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.to).toBeTruthy();
    const unknownOffice = await boss.api.get(
      '/api/v1/reports/digitisation?from=2026-03-01&to=2026-03-31&office=NOPE',
    );
    expect(unknownOffice.status).toBe(422);
  });

  it('logs every view and download of a file in the personal-data access log', async () => {
    const officer = await loginAs(t.app, 'canbo');
    await officer.get(`/tep/${fileId}`).expect(200);
    await officer.get(`/tep/${fileId}?tai=1`).expect(200);
    await t.api.get(`/api/v1/files/${fileId}/content`).expect(200);
    await t.api.get(`/api/v1/files/${fileId}/content?download=1`).expect(200);
    const viewed = await accessEvents('file.viewed');
    const downloaded = await accessEvents('file.downloaded');
    expect(viewed).toHaveLength(2);
    expect(downloaded).toHaveLength(2);
    for (const e of [...viewed, ...downloaded]) {
      expect(e.subject).toBe(d.code);
      expect(JSON.parse(e.details)).toMatchObject({ file: fileId });
    }
    const attachment = await officer.get(`/tep/${fileId}?tai=1`);
    expect(attachment.headers['content-disposition']).toMatch(
      /^attachment; filename="[^"]+\.jpg"$/,
    );
    expect(attachment.headers['x-content-type-options']).toBe('nosniff');
  });

  it('records "original seen, kept on paper" with its reason, refuses it without one', async () => {
    const officer = await loginAs(t.app, 'canbo');
    const csrf = await csrfOf(officer);
    const path = `/ho-so/${d.code}/giay-to/${d.components[1]}/ban-giay`;
    const empty = await officer.post(path).type('form').send({ _csrf: csrf, reason: '  ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Vui lòng ghi lý do lưu bản giấy.');
    await officer
      .post(path)
      .type('form')
      .send({ _csrf: csrf, reason: 'Giấy tờ đóng quyển, không tháo được' })
      .expect(303);
    const page = await officer.get(`/ho-so/${d.code}`);
    expect(page.text).toContain('Đã xem bản gốc, lưu bản giấy');
    expect(page.text).toContain('Giấy tờ đóng quyển, không tháo được');
    const list = await t.api.get(`/api/v1/dossiers/${d.code}/files`);
    expect(list.body.components[1]).toMatchObject({
      state: 'paper_only',
      digitisation_code: 0,
      paper_reason: 'Giấy tờ đóng quyển, không tháo được',
    });
  });
});
