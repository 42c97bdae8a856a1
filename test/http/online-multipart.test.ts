import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed } from '../support/factories.js';
import { makePdf } from '../support/file-fixtures.js';
import { createFilesApp, type FilesApp } from '../support/files-helpers.js';
import { deliver, deliverMultipart, delivery, portalToken } from '../support/online.js';
import { until } from '../support/wait.js';

let t: FilesApp;
afterEach(() => t?.close());

const count = async (table: 'online_dossiers' | 'online_dossier_files' | 'dossiers') =>
  (await t.ctx.db.selectFrom(table).select('id').execute()).length;

async function storedObjects(): Promise<string[]> {
  const names: string[] = [];
  for await (const o of t.ctx.fileStore.walk()) names.push(o.sha256);
  return names;
}

/** The upload spool holds nothing once every answer has gone (its files deleted on close). */
const spoolEmpty = () =>
  until(
    () =>
      fs.readdirSync(path.join(t.filesDir, 'tmp')).filter((n) => n.endsWith('.part')).length === 0,
    'the spool to be empty',
  );

describe('a multipart delivery to the online inbox', () => {
  for (const store of ['fs', 'database'] as const)
    it(`streams the files into the ${store} store, once per portal code, the same as JSON`, async () => {
      t = await createFilesApp(store);
      const token = await portalToken(t);
      const body = await delivery(t);
      const first = await deliverMultipart(t, token, body);
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body.online_dossier).toMatchObject({
        portal_code: body.portal_code,
        state: 'pending',
      });
      expect(first.body.online_dossier.files).toHaveLength(2);
      // The same delivery again, multipart or JSON: the entry it made.
      const again = await deliverMultipart(t, token, body);
      expect([again.status, again.body.online_dossier.id]).toEqual([
        200,
        first.body.online_dossier.id,
      ]);
      const json = await deliver(t, token, body);
      expect([json.status, json.body.online_dossier.id]).toEqual([
        200,
        first.body.online_dossier.id,
      ]);
      expect([await count('online_dossiers'), await count('online_dossier_files')]).toEqual([1, 2]);
      const stored = await storedObjects();
      expect(stored).toHaveLength(2);
      for (const sha of stored) expect(await t.ctx.fileStore.verify(sha)).toBe('ok');
      // Accepted like a JSON delivery: a dossier with the delivered files.
      const accepted = await t.api.post(
        `/api/v1/online-dossiers/${first.body.online_dossier.id}/accept`,
        {},
      );
      expect(accepted.status).toBe(200);
      const files = await t.api.get(`/api/v1/dossiers/${accepted.body.dossier.code}/files`);
      expect(files.status).toBe(200);
      expect(JSON.stringify(files.body)).toContain(stored[0]);
      await spoolEmpty();
    });

  it('answers a file over FILES_MAX_MB, a wrong type and bad fields with 422, leaving nothing stored', async () => {
    t = await createFilesApp('fs', { FILES_MAX_MB: '1' });
    const token = await portalToken(t);
    const body = await delivery(t);
    const doc = body.components[0]!.document_id;
    const part = `components[${doc}]`;
    const big = await deliverMultipart(t, token, { ...body, components: [] }, [
      { field: part, name: 'to.pdf', bytes: makePdf({ pages: 1, padBytes: 1_200_000 }) },
    ]);
    expect(big.status).toBe(422);
    expect(big.body.error.fields[part]).toBe('Tệp quá lớn: mỗi tệp tối đa 1 MB.');

    const wrongType = await deliverMultipart(t, token, body, [
      { field: part, name: 'virus.pdf', bytes: Buffer.from('MZ not a pdf at all') },
    ]);
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.error.fields[part]).toMatch(/^virus\.pdf: Tệp không phải PDF, JPG/);

    const declaredOther = await deliverMultipart(t, token, { ...body, components: [] }, [
      { field: part, name: 'a.pdf', bytes: makePdf({ pages: 1 }), type: 'image/png' },
    ]);
    expect(declaredOther.body.error.fields[part]).toMatch(/khai là image\/png/);

    const badFields = await deliverMultipart(t, token, {
      ...body,
      applicant: { ...body.applicant, phone: 'abc' },
      portal_code: 'có dấu',
    });
    expect(badFields.status).toBe(422);
    expect(Object.keys(badFields.body.error.fields)).toEqual(
      expect.arrayContaining(['portal_code']),
    );
    const badApplicant = await deliverMultipart(t, token, {
      ...body,
      applicant: { ...body.applicant, phone: 'abc' },
    });
    expect(Object.keys(badApplicant.body.error.fields)).toContain('applicant.phone');

    const unknownPart = await deliverMultipart(t, token, body, [
      { field: 'tep', name: 'a.pdf', bytes: makePdf({ pages: 1 }) },
    ]);
    expect(unknownPart.body.error.fields.tep).toMatch(/components\[/);
    const unknownDoc = await deliverMultipart(t, token, body, [
      { field: 'components[999999]', name: 'a.pdf', bytes: makePdf({ pages: 1 }) },
    ]);
    expect(unknownDoc.body.error.fields['components[999999]']).toBe(
      'Giấy tờ này không thuộc thủ tục.',
    );

    const auth = (r: request.Test) => r.set('authorization', `Bearer ${token}`);
    const noDossier = await auth(request(t.app).post('/api/v1/online-dossiers')).attach(
      part,
      makePdf({ pages: 1 }),
      'a.pdf',
    );
    expect([noDossier.status, Object.keys(noDossier.body.error.fields)]).toEqual([
      422,
      ['dossier'],
    ]);
    const notJson = await auth(request(t.app).post('/api/v1/online-dossiers'))
      .field('dossier', '{"portal_code":')
      .attach(part, makePdf({ pages: 1 }), 'a.pdf');
    expect(notJson.body.error.fields.dossier).toMatch(/JSON/);

    expect([await count('online_dossiers'), await count('online_dossier_files')]).toEqual([0, 0]);
    expect(await storedObjects()).toEqual([]);
    await spoolEmpty();
  });

  it('takes a multipart delivery only with a portal token', async () => {
    t = await createFilesApp('fs');
    const body = await delivery(t);
    expect((await deliverMultipart(t, null, body)).status).toBe(401);
    const officer = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'o', null);
    const denied = await deliverMultipart(t, officer, body);
    expect([denied.status, denied.body.error.code]).toEqual([403, 'token_scope']);
    expect(await count('online_dossiers')).toBe(0);
    expect(await storedObjects()).toEqual([]);
  });
});
