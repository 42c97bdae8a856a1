import { createHash } from 'node:crypto';
import type request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumJpeg, chromiumPdf, makePdf, makePng } from '../support/file-fixtures.js';
import { createFilesApp, receive, type FilesApp } from '../support/files-helpers.js';
import { csrfFrom, loginAs } from '../support/test-app.js';

let t: FilesApp;
afterEach(() => t?.close());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** supertest buffers a binary body when asked to. */
const binary = (r: request.Test) =>
  r.buffer(true).parse((res, done) => {
    const parts: Buffer[] = [];
    res.on('data', (c: Buffer) => parts.push(c));
    res.on('end', () => done(null, Buffer.concat(parts)));
  });

describe.each(['fs', 'database'] as const)('files in the %s store', (store) => {
  it('reads back every upload byte for byte, with the same SHA-256, pages counted', async () => {
    t = await createFilesApp(store);
    const d = await receive(t);
    const pdf = makePdf({ pages: 4, objectStreams: true, padBytes: 1_500_000 });
    const uploaded = await t.api.upload(d.code, d.components[0]!, [
      { name: 'scan.pdf', bytes: pdf },
    ]);
    expect(uploaded.status).toBe(201);
    const file = uploaded.body.component.files[0];
    expect(uploaded.body.component).toMatchObject({
      state: 'digitised',
      digitisation_code: 1,
      pages: 4,
    });
    expect(file).toMatchObject({
      sha256: sha256(pdf),
      size: pdf.length,
      pages: 4,
      content_type: 'application/pdf',
    });
    expect(file.by.name).toBe('Trần Thị Hoa');

    const back = await binary(t.api.get(file.content_url));
    expect(back.status).toBe(200);
    expect(sha256(back.body as Buffer)).toBe(sha256(pdf));
    expect(Buffer.compare(back.body as Buffer, pdf)).toBe(0);
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(back.headers['x-content-type-options']).toBe('nosniff');
    expect(back.headers['content-security-policy']).toBe(
      "sandbox; default-src 'none'; frame-ancestors 'self'",
    );
    expect(back.headers['content-disposition']).toMatch(
      /^inline; filename="000\.00\.13\.H40-260310-0001-giay-to-\d+-1\.pdf"$/,
    );
    const download = await binary(t.api.get(`${file.content_url}?download=1`));
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);

    // Several pages as several files, images included.
    const jpeg = chromiumJpeg();
    const png = makePng(40, 30);
    const pages = await t.api.upload(d.code, d.components[1]!, [
      { name: 'trang1.jpg', bytes: jpeg },
      { name: 'trang2.png', bytes: png },
    ]);
    expect(pages.status).toBe(201);
    expect(pages.body.component.files.map((f: { content_type: string }) => f.content_type)).toEqual(
      ['image/jpeg', 'image/png'],
    );
    for (const [f, bytes] of [
      [pages.body.component.files[0], jpeg],
      [pages.body.component.files[1], png],
    ] as const) {
      const r = await binary(t.api.get(f.content_url));
      expect(sha256(r.body as Buffer)).toBe(sha256(bytes));
    }
    const stored = await t.ctx.db.selectFrom('stored_files').select(['sha256', 'size']).execute();
    expect(stored).toHaveLength(3);
    for (const s of stored) expect(await t.ctx.fileStore.verify(s.sha256)).toBe('ok');
  });

  it('stores the same bytes once, and keeps a replaced scan as history', async () => {
    t = await createFilesApp(store);
    const d = await receive(t);
    const first = chromiumPdf();
    const second = makePdf({ pages: 2 });
    await t.api.upload(d.code, d.components[0]!, [{ name: 'a.pdf', bytes: first }]).expect(201);
    await t.api.upload(d.code, d.components[1]!, [{ name: 'a.pdf', bytes: first }]).expect(201);
    const replaced = await t.api.upload(d.code, d.components[0]!, [
      { name: 'b.pdf', bytes: second },
    ]);
    expect(replaced.body.component.files).toHaveLength(1);
    expect(replaced.body.component.history).toHaveLength(1);
    expect(replaced.body.component.history[0]).toMatchObject({ sha256: sha256(first), pages: 3 });
    expect(replaced.body.component.history[0].replaced_at).toBeTruthy();
    const added = await t.api.upload(
      d.code,
      d.components[0]!,
      [{ name: 'c.png', bytes: makePng() }],
      {
        mode: 'add',
      },
    );
    expect(added.body.component.files.map((f: { position: number }) => f.position)).toEqual([1, 2]);
    expect(added.body.component.pages).toBe(3);
    const count = await t.ctx.db
      .selectFrom('stored_files')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
    const quota = await t.ctx.db.selectFrom('file_quotas').selectAll().executeTakeFirstOrThrow();
    expect(Number(quota.used_bytes)).toBe(
      first.length + second.length + added.body.component.files[1].size,
    );
  });
});

describe('what is refused, with a clear message and nothing saved', () => {
  it('refuses a file whose bytes lie about their type, whatever its name and declared type', async () => {
    t = await createFilesApp('fs');
    const d = await receive(t);
    const lies = [
      { name: 'scan.pdf', bytes: Buffer.from('<html><script>alert(1)</script></html>') },
      {
        name: 'anh.jpg',
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
      },
      {
        name: 'anh.png',
        bytes: Buffer.concat([makePng().subarray(0, 100), Buffer.from('<html>')]),
      },
      { name: 'scan.pdf', bytes: chromiumPdf().subarray(0, 9000) },
    ];
    for (const lie of lies) {
      const res = await t.api.upload(d.code, d.components[0]!, [lie]);
      expect(res.status).toBe(422);
      expect(res.body.error.fields.file).toMatch(new RegExp(`^${lie.name.replace('.', '\\.')}: `));
    }
    const html = await t.api.upload(d.code, d.components[0]!, [lies[0]!]);
    expect(html.body.error.fields.file).toContain('không phải PDF, JPG hoặc PNG');
    expect(await t.ctx.db.selectFrom('dossier_files').selectAll().execute()).toEqual([]);
    expect(await t.ctx.db.selectFrom('stored_files').selectAll().execute()).toEqual([]);
  });

  it('refuses a file over FILES_MAX_MB, too many pages, and an office over its quota', async () => {
    t = await createFilesApp('fs', {
      FILES_MAX_MB: '1',
      FILES_MAX_PAGES: '5',
      FILES_OFFICE_QUOTA_MB: '2',
    });
    const d = await receive(t);
    const big = await t.api.upload(d.code, d.components[0]!, [
      { name: 'to.pdf', bytes: makePdf({ pages: 1, padBytes: 1_200_000 }) },
    ]);
    expect(big.status).toBe(422);
    expect(big.body.error.fields.file).toBe('Tệp quá lớn: mỗi tệp tối đa 1 MB.');
    const many = await t.api.upload(d.code, d.components[0]!, [
      { name: 'dai.pdf', bytes: makePdf({ pages: 6 }) },
    ]);
    expect(many.body.error.fields.file).toBe('Quá nhiều trang: một giấy tờ tối đa 5 trang.');
    // Two files of 0.9 MB fit the quota of 2 MB; a third does not.
    for (const c of [0, 1]) {
      const ok = await t.api.upload(d.code, d.components[c]!, [
        { name: 'a.pdf', bytes: makePdf({ pages: 1, padBytes: 900_000 }) },
      ]);
      expect(ok.status).toBe(201);
    }
    const over = await t.api.upload(d.code, d.components[0]!, [
      { name: 'b.pdf', bytes: makePdf({ pages: 1, padBytes: 900_000 }) },
    ]);
    expect(over.status).toBe(422);
    expect(over.body.error.fields.file).toMatch(/dung lượng lưu trữ/);
    expect(await t.ctx.db.selectFrom('stored_files').selectAll().execute()).toHaveLength(2);
  });

  it('answers a missing file, an unknown component and a body that is not multipart', async () => {
    t = await createFilesApp('fs');
    const d = await receive(t);
    const none = await t.api.upload(d.code, d.components[0]!, []);
    expect(none.status).toBe(422);
    expect(none.body.error.fields.file).toMatch(/chọn ít nhất một tệp/);
    const unknown = await t.api.upload(d.code, '999999', [{ name: 'a.pdf', bytes: chromiumPdf() }]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.fields.component).toBeTruthy();
    const json = await t.api.post(`/api/v1/dossiers/${d.code}/files`, {
      component: d.components[0],
    });
    expect(json.status).toBe(422);
    expect(json.body.error.fields.file).toMatch(/multipart/);
  });
});

describe('the dossier page', () => {
  it('shows each component with its state, thumbnails and an attach form, and attaches from the page', async () => {
    t = await createFilesApp('fs');
    const d = await receive(t);
    const officer = await loginAs(t.app, 'canbo');
    const page = await officer.get(`/ho-so/${d.code}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Số hóa giấy tờ');
    expect(page.text).toContain('Chưa số hóa');
    expect(page.text).toMatch(
      /<input id="file-\d+" type="file" name="file" accept="[^"]*application\/pdf[^"]*" multiple data-file-picker>/,
    );
    expect(page.text).toContain('capture="environment"');
    const form = `/ho-so/${d.code}/giay-to/${d.components[0]}/tep`;
    const res = await officer
      .post(form)
      .field('_csrf', csrfFrom(page.text))
      .attach('file', chromiumJpeg(), 'the.jpg');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/ho-so/${d.code}#so-hoa`);
    const after = await officer.get(`/ho-so/${d.code}`);
    expect(after.text).toContain('Đã số hóa');
    const id = /<img src="\/tep\/(\d+)"/.exec(after.text)![1];
    const image = await officer.get(`/tep/${id}`);
    expect(image.headers['content-type']).toBe('image/jpeg');
  });

  it('shows a refused upload again with its message (422), and refuses a forged one before storing it', async () => {
    t = await createFilesApp('fs');
    const d = await receive(t);
    const officer = await loginAs(t.app, 'canbo');
    const page = await officer.get(`/ho-so/${d.code}`);
    const form = `/ho-so/${d.code}/giay-to/${d.components[0]}/tep`;
    const bad = await officer
      .post(form)
      .field('_csrf', csrfFrom(page.text))
      .attach('file', Buffer.from('<html></html>'), 'giay.pdf');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('giay.pdf: Tệp không phải PDF, JPG hoặc PNG');
    expect(bad.text).toContain('aria-invalid="true"');
    const forged = await officer
      .post(form)
      .field('_csrf', 'nope')
      .attach('file', chromiumPdf(), 'a.pdf');
    expect(forged.status).toBe(403);
    const noToken = await officer.post(form).attach('file', chromiumPdf(), 'a.pdf');
    expect(noToken.status).toBe(403);
    expect(await t.ctx.db.selectFrom('stored_files').selectAll().execute()).toEqual([]);
  });
});
