import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed, createOfficerAt, documentIds } from '../support/factories.js';
import { chromiumJpeg, chromiumPdf, makePdf } from '../support/file-fixtures.js';
import { createFilesApp, receive, tokenApp, type FilesApp } from '../support/files-helpers.js';
import { csrfOf, loginAs } from '../support/test-app.js';

let t: FilesApp;
afterEach(() => t?.close());

const PERSON = '035090001234';
async function dossierOf(procedure: string, personalId = PERSON) {
  return receive(t, {
    procedure_code: procedure,
    documents: await documentIds(t.ctx, procedure),
    personal_id: personalId,
  });
}
async function componentNamed(code: string, pattern: RegExp): Promise<string> {
  const list = await t.api.get(`/api/v1/dossiers/${code}/files`);
  const c = (list.body.components as { component: string; name: string }[]).find((x) =>
    pattern.test(x.name),
  );
  if (!c) throw new Error(`no component like ${pattern} in ${code}`);
  return c.component;
}
async function act(code: string, action: string, body: Record<string, unknown> = {}) {
  const d = await t.api.get(`/api/v1/dossiers/${code}`);
  const res = await t.api.post(`/api/v1/dossiers/${code}/actions/${action}`, {
    version: d.body.dossier.version,
    ...body,
  });
  if (res.status >= 300) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
}
const RESIDENCE = /chứng minh chỗ ở hợp pháp/;

describe('reuse of a person’s digitised papers (tái sử dụng)', () => {
  it('offers the proof of residence of an earlier dossier, reuses it without copying bytes, and counts it', async () => {
    t = await createFilesApp('fs', {}, '2026-03-10T02:00:00Z');
    const first = await dossierOf('1.004222'); // thường trú
    const proof = await componentNamed(first.code, RESIDENCE);
    const scan = makePdf({ pages: 2, padBytes: 10_000 });
    await t.api.upload(first.code, proof, [{ name: 'hop-dong.pdf', bytes: scan }]).expect(201);
    const other = await dossierOf('1.004194', '035090009999'); // another person: nothing offered
    const second = await dossierOf('1.004194'); // tạm trú, same person
    const target = await componentNamed(second.code, RESIDENCE);

    const officer = await loginAs(t.app, 'canbo');
    const page = await officer.get(`/ho-so/${second.code}`);
    expect(page.text).toContain('Dùng lại giấy tờ đã số hóa (1)');
    expect((await officer.get(`/ho-so/${other.code}`)).text).not.toContain(
      'Dùng lại giấy tờ đã số hóa (',
    );
    const reusePage = await officer.get(`/ho-so/${second.code}/dung-lai`);
    expect(reusePage.text).toContain(first.code);
    const source = /name="source" value="(\d+)"/.exec(reusePage.text)![1]!;
    const storedBefore = await t.ctx.db.selectFrom('stored_files').selectAll().execute();
    const quotaBefore = await t.ctx.db
      .selectFrom('file_quotas')
      .selectAll()
      .executeTakeFirstOrThrow();

    const done = await officer
      .post(`/ho-so/${second.code}/giay-to/${target}/dung-lai`)
      .type('form')
      .send({ _csrf: await csrfOf(officer), source });
    expect(done.status).toBe(303);
    const list = await t.api.get(`/api/v1/dossiers/${second.code}/files`);
    interface Listed {
      component: string;
      state: string;
      digitisation_code: number;
      files: { id: number; sha256: string; reused_from: { dossier_code: string } }[];
    }
    const reused = (list.body.components as Listed[]).find((c) => c.component === target)!;
    expect(reused.state).toBe('reused');
    expect(reused.digitisation_code).toBe(2);
    expect(reused.files[0]!.reused_from.dossier_code).toBe(first.code);
    expect(await t.ctx.db.selectFrom('stored_files').selectAll().execute()).toEqual(storedBefore);
    expect(await t.ctx.db.selectFrom('file_quotas').selectAll().executeTakeFirstOrThrow()).toEqual(
      quotaBefore,
    );
    // The reused file reads back from the second dossier.
    const back = await t.api.get(`/api/v1/files/${reused.files[0]!.id}/content`);
    expect(back.status).toBe(200);

    const supervisor = await issueApiToken(
      t.ctx,
      (await accountNamed(t.ctx, 'lanhdao')).id,
      'r',
      null,
    );
    const report = await tokenApp(t, supervisor, t.filesDir).api.get(
      '/api/v1/reports/digitisation?from=2026-03-01&to=2026-03-31',
    );
    expect(report.status).toBe(200);
    expect(report.body.totals).toMatchObject({
      dossiers_received: 3,
      components_digitised: 2,
      components_reused: 1,
      dossiers_with_reuse: 1,
      dossiers_with_digitised: 2,
    });
    const row = (
      report.body.rows as { procedure: { code: string }; components_reused: number }[]
    ).find((r) => r.procedure.code === '1.004194');
    expect(row!.components_reused).toBe(1);
    // The listing was a search by ID number: logged, with a digest and never the number.
    const events = await t.ctx.db
      .selectFrom('access_events')
      .selectAll()
      .where('action', '=', 'files.reuse_listed')
      .execute();
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(PERSON);
  });

  it('stops offering a paper once its validity has passed, unless its own expiry was recorded later', async () => {
    t = await createFilesApp('fs', {}, '2026-01-05T02:00:00Z');
    const first = await dossierOf('1.004222');
    const proof = await componentNamed(first.code, RESIDENCE);
    await t.api.upload(first.code, proof, [{ name: 'a.pdf', bytes: chromiumPdf() }]).expect(201);
    t.clock.set('2026-07-06T02:00:00Z'); // six months and a day later
    const second = await dossierOf('1.004194');
    const target = await componentNamed(second.code, RESIDENCE);
    const offered = async () => {
      const officer = await loginAs(t.app, 'canbo');
      return (await officer.get(`/ho-so/${second.code}/giay-to/${target}`)).text.includes(
        'name="source"',
      );
    };
    expect(await offered()).toBe(false);
    // The lease runs to 2027: recorded on a new scan of the first dossier, it is offered again.
    await t.api
      .upload(first.code, proof, [{ name: 'b.pdf', bytes: makePdf({ pages: 1 }) }], {
        valid_until: '31/12/2027',
      })
      .expect(201);
    expect(await offered()).toBe(true);
    // Refused when asked for anyway after it lapsed (a stale page).
    t.clock.set('2028-01-02T02:00:00Z');
    const candidate = await t.ctx.db
      .selectFrom('dossier_files')
      .select('id')
      .where('replaced_at', 'is', null)
      .executeTakeFirstOrThrow();
    const officer = await loginAs(t.app, 'canbo');
    const stale = await officer
      .post(`/ho-so/${second.code}/giay-to/${target}/dung-lai`)
      .type('form')
      .send({ _csrf: await csrfOf(officer), source: String(candidate.id) });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('không còn dùng lại được');
  });

  it('reuses a căn cước issued electronically as the card of an identity-account dossier (from a result)', async () => {
    t = await createFilesApp('database');
    const card = await dossierOf('2.000200');
    await t.api
      .upload(card.code, 'result', [{ name: 'the.jpg', bytes: chromiumJpeg() }])
      .expect(201);
    await act(card.code, 'mark_result_ready');
    const account = await dossierOf('LOCAL-DDDT-02');
    const target = await componentNamed(account.code, /Thẻ căn cước/);
    const form = await componentNamed(account.code, /^Phiếu đề nghị/);
    const officer = await loginAs(t.app, 'canbo');
    const page = await officer.get(`/ho-so/${account.code}/dung-lai`);
    expect(page.text).toContain('Kết quả: Cấp thẻ căn cước');
    // A request form is never reused: nothing offered for it.
    const formPage = await officer.get(`/ho-so/${account.code}/giay-to/${form}`);
    expect(formPage.text).not.toContain('name="source"');
    const source = /name="source" value="(\d+)"/.exec(page.text)![1]!;
    await officer
      .post(`/ho-so/${account.code}/giay-to/${target}/dung-lai`)
      .type('form')
      .send({ _csrf: await csrfOf(officer), source })
      .expect(303);
    const list = await t.api.get(`/api/v1/dossiers/${account.code}/files`);
    const c = (
      list.body.components as { component: string; state: string; digitisation_code: number }[]
    ).find((x) => x.component === target)!;
    expect(c).toMatchObject({ state: 'reused_result', digitisation_code: 3 });
  });

  it('offers nothing from another office’s dossiers to an officer who cannot see them', async () => {
    t = await createFilesApp('fs');
    const first = await dossierOf('1.004222');
    await t.api
      .upload(first.code, await componentNamed(first.code, RESIDENCE), [
        { name: 'a.pdf', bytes: chromiumPdf() },
      ])
      .expect(201);
    await createOfficerAt(t.ctx, '000.11.13.H40', 'xa1');
    const xa = tokenApp(
      t,
      await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'xa1')).id, 'x', null),
      t.filesDir,
    );
    const theirs = await xa.api.post('/api/v1/dossiers', {
      ...(await import('../support/factories.js').then((f) => f.validIntake(t.ctx))),
      procedure_code: '1.004194',
      documents: await documentIds(t.ctx, '1.004194'),
    });
    expect(theirs.status).toBe(201);
    const officer = await loginAs(t.app, 'xa1');
    const page = await officer.get(`/ho-so/${theirs.body.dossier.code}/dung-lai`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('name="source"');
  });
});
