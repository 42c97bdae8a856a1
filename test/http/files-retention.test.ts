import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { applyRetention } from '../../src/retention/retention.service.js';
import { documentIds } from '../support/factories.js';
import { chromiumJpeg, chromiumPdf, makePng } from '../support/file-fixtures.js';
import { createFilesApp, receive, type FilesApp } from '../support/files-helpers.js';
import { loginAs } from '../support/test-app.js';

let t: FilesApp;
afterEach(() => t?.close());

async function act(code: string, action: string, body: Record<string, unknown> = {}) {
  const d = await t.api.get(`/api/v1/dossiers/${code}`);
  const res = await t.api.post(`/api/v1/dossiers/${code}/actions/${action}`, {
    version: d.body.dossier.version,
    ...body,
  });
  if (res.status >= 300) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
}
const RESIDENCE = /chứng minh chỗ ở hợp pháp/;
async function componentNamed(code: string, pattern: RegExp): Promise<string> {
  const list = await t.api.get(`/api/v1/dossiers/${code}/files`);
  return (list.body.components as { component: string; name: string }[]).find((c) =>
    pattern.test(c.name),
  )!.component;
}

describe.each(['fs', 'database'] as const)('retention and files (%s store)', (store) => {
  it('deletes the files of anonymised dossiers and leaves a tombstone; a file a kept dossier reuses stays', async () => {
    t = await createFilesApp(
      store,
      { RETENTION_CLOSED_DOSSIER_DAYS: '365' },
      '2026-03-10T02:00:00Z',
    );
    const old = await receive(t, {
      procedure_code: '1.004222',
      documents: await documentIds(t.ctx, '1.004222'),
    });
    const proof = await componentNamed(old.code, RESIDENCE);
    const shared = chromiumPdf();
    const own = chromiumJpeg();
    await t.api.upload(old.code, proof, [{ name: 'hd.pdf', bytes: shared }]).expect(201);
    const ownUp = await t.api.upload(old.code, old.components[0]!, [{ name: 'a.jpg', bytes: own }]);
    await t.api.upload(old.code, 'result', [{ name: 'kq.png', bytes: makePng() }]).expect(201);
    await act(old.code, 'mark_result_ready');
    await act(old.code, 'return_result', { returned_to: 'Nguyễn Văn An' });
    // A later dossier of the same person reuses the proof of residence.
    const kept = await receive(t, {
      procedure_code: '1.004194',
      documents: await documentIds(t.ctx, '1.004194'),
    });
    const target = await componentNamed(kept.code, RESIDENCE);
    const source = (
      await t.ctx.db
        .selectFrom('dossier_files')
        .select('id')
        .where('component', '=', proof)
        .executeTakeFirstOrThrow()
    ).id;
    const officer = await loginAs(t.app, 'canbo');
    const page = await officer.get(`/ho-so/${kept.code}/giay-to/${target}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    await officer
      .post(`/ho-so/${kept.code}/giay-to/${target}/dung-lai`)
      .type('form')
      .send({ _csrf: csrf, source: String(source) })
      .expect(303);
    const quotaBefore = Number(
      (await t.ctx.db.selectFrom('file_quotas').select('used_bytes').executeTakeFirstOrThrow())
        .used_bytes,
    );

    t.clock.advanceMinutes(400 * 24 * 60);
    const dry = await applyRetention(t.ctx, { apply: false });
    expect(dry).toMatchObject({ dossiers: 1, files: 2, applied: false });
    expect(
      await t.ctx.db
        .selectFrom('stored_files')
        .selectAll()
        .where('deleted_at', 'is not', null)
        .execute(),
    ).toEqual([]);
    const applied = await applyRetention(t.ctx, { apply: true });
    expect(applied).toMatchObject({ dossiers: 1, files: 2 });

    const stored = await t.ctx.db
      .selectFrom('stored_files')
      .select(['sha256', 'deleted_at', 'deleted_reason', 'size'])
      .orderBy('id')
      .execute();
    const byHash = new Map(stored.map((s) => [s.sha256, s]));
    const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(byHash.get(hash(shared))!.deleted_at).toBeNull();
    expect(byHash.get(hash(own))).toMatchObject({ deleted_reason: 'retention' });
    expect(await t.ctx.fileStore.has(hash(own))).toBe(false);
    expect(await t.ctx.fileStore.verify(hash(shared))).toBe('ok');
    const quotaAfter = Number(
      (await t.ctx.db.selectFrom('file_quotas').select('used_bytes').executeTakeFirstOrThrow())
        .used_bytes,
    );
    expect(quotaAfter).toBe(
      quotaBefore - stored.filter((s) => s.deleted_at).reduce((n, s) => n + Number(s.size), 0),
    );
    // The record stays: the rows, with the tombstone.
    const deleted = await t.api.get(ownUp.body.component.files[0].content_url);
    expect(deleted.status).toBe(404);
    expect(deleted.body.error.code).toBe('file_deleted');
    const list = await t.api.get(`/api/v1/dossiers/${old.code}/files`);
    expect(list.body.components[0].files[0]).toMatchObject({ deleted: true });
    expect((await applyRetention(t.ctx, { apply: true })).files).toBe(0);
  });
});
