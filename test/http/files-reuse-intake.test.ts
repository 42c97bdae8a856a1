import { afterEach, describe, expect, it } from 'vitest';
import { createOfficerAt, documentIds } from '../support/factories.js';
import { makePdf } from '../support/file-fixtures.js';
import { createFilesApp, receive, type FilesApp } from '../support/files-helpers.js';
import { csrfFrom, loginAs } from '../support/test-app.js';

/**
 * Reuse with one key (issue 31): ticked on the intake form, the applicant's digitised papers still
 * valid fill the new dossier's components as it is received; on the dossier page, one button (F9)
 * does the same for a dossier already received.
 */
let t: FilesApp;
afterEach(() => t?.close());

const PERSON = '035090001234';
const RESIDENCE = /chứng minh chỗ ở hợp pháp/;

async function components(code: string) {
  const list = await t.api.get(`/api/v1/dossiers/${code}/files`);
  return list.body.components as { component: string; name: string; state: string }[];
}

/** A thường trú dossier of PERSON whose proof of residence is scanned. */
async function earlierScan() {
  t = await createFilesApp('fs', {}, '2026-03-10T02:00:00Z');
  const first = await receive(t, {
    procedure_code: '1.004222',
    documents: await documentIds(t.ctx, '1.004222'),
    personal_id: PERSON,
  });
  const proof = (await components(first.code)).find((c) => RESIDENCE.test(c.name))!.component;
  await t.api
    .upload(first.code, proof, [{ name: 'hd.pdf', bytes: makePdf({ pages: 2 }) }])
    .expect(201);
  return first.code;
}

async function intakeByPage(reuse: boolean) {
  const officer = await loginAs(t.app, 'canbo');
  const page = await officer.get('/ho-so/moi?thu-tuc=1.004194');
  expect(page.text).toContain('name="reuse_papers" value="1" checked');
  const res = await officer
    .post('/ho-so/moi')
    .type('form')
    .send({
      _csrf: csrfFrom(page.text),
      procedure_code: '1.004194',
      form_token: `tok-reuse-${reuse ? 'yes' : 'no'}-01`,
      outcome: 'accept',
      documents: await documentIds(t.ctx, '1.004194'),
      applicant_name: 'Nguyễn Văn An',
      personal_id: PERSON,
      birth_date: '01/05/1990',
      sex: 'male',
      phone: '0912345678',
      address: 'Thôn 3, xã Hòa Hậu',
      ...(reuse ? { reuse_papers: '1' } : {}),
    });
  expect(res.status).toBe(303);
  const code = decodeURIComponent(
    /\/ho-so\/([^/]+)\/phieu\/receipt/.exec(res.headers.location!)![1]!,
  );
  const slip = await officer.get(res.headers.location!);
  return { code, slip: slip.text, officer };
}

describe('reuse at intake and with one key', { timeout: 60_000 }, () => {
  it('fills the new dossier’s proof of residence from the earlier scan when the intake asks it', async () => {
    const earlier = await earlierScan();
    const { code, slip } = await intakeByPage(true);
    expect(slip).toContain('Đã dùng lại 1 giấy tờ đã số hóa');
    const filled = (await components(code)).filter((c) => c.state !== 'none');
    expect(filled).toHaveLength(1);
    expect(filled[0]).toMatchObject({ state: 'reused' });
    expect(filled[0]!.name).toMatch(RESIDENCE);
    const list = await t.api.get(`/api/v1/dossiers/${code}/files`);
    const reused = (
      list.body.components as { files: { reused_from: { dossier_code: string } }[] }[]
    ).find((c) => c.files.length)!;
    expect(reused.files[0]!.reused_from.dossier_code).toBe(earlier);
  });

  it('reuses nothing when the box is cleared; then F9’s button on the dossier page does it once', async () => {
    await earlierScan();
    const { code, slip, officer } = await intakeByPage(false);
    expect(slip).not.toContain('Đã dùng lại');
    expect((await components(code)).every((c) => c.state === 'none')).toBe(true);

    const page = await officer.get(`/ho-so/${code}`);
    expect(page.text).toContain('data-reuse-all');
    expect(page.text).toContain('<kbd>F9</kbd>');
    // Without the CSRF token nothing happens.
    expect((await officer.post(`/ho-so/${code}/dung-lai`).type('form').send({})).status).toBe(403);
    expect((await components(code)).every((c) => c.state === 'none')).toBe(true);
    // An officer of another office does not see the dossier.
    await createOfficerAt(t.ctx, '000.12.13.H40', 'hoahau');
    const other = await loginAs(t.app, 'hoahau');
    const otherPage = await other.get('/ho-so/hom-nay');
    expect(
      (
        await other
          .post(`/ho-so/${code}/dung-lai`)
          .type('form')
          .send({ _csrf: csrfFrom(otherPage.text) })
      ).status,
    ).toBe(404);

    const done = await officer
      .post(`/ho-so/${code}/dung-lai`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(done.status).toBe(303);
    expect((await officer.get(done.headers.location!)).text).toContain(
      'Đã dùng lại 1 giấy tờ đã số hóa',
    );
    expect((await components(code)).filter((c) => c.state === 'reused')).toHaveLength(1);
    // Again: nothing left to fill, nothing changes.
    const again = await officer
      .post(`/ho-so/${code}/dung-lai`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect((await officer.get(again.headers.location!)).text).toContain(
      'Không có giấy tờ nào chưa có tệp mà dùng lại được.',
    );
    const rows = await t.ctx.db
      .selectFrom('dossier_files')
      .select('id')
      .where('state', '=', 'reused')
      .execute();
    expect(rows).toHaveLength(1);
  });
});
