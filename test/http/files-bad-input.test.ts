import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumJpeg, chromiumPdf, makePng } from '../support/file-fixtures.js';
import { createFilesApp, receive, type FilesApp } from '../support/files-helpers.js';
import { csrfFrom, loginAs } from '../support/test-app.js';

/**
 * The files' forms and API fed malformed input: random bytes as files (never stored: no random
 * bytes make a well-formed PDF, JPEG or PNG), hostile field values, broken multipart bodies.
 * Never a 5xx; a refusal stores nothing.
 */
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 60);
let t: FilesApp;
let code: string;
let components: string[];
let officer: Awaited<ReturnType<typeof loginAs>>;
let csrf: string;

beforeAll(async () => {
  t = await createFilesApp('fs', {
    LOOKUP_RATE_LIMIT_PER_MIN: '100000',
    LOOKUP_CODE_RATE_LIMIT_PER_HOUR: '100000',
    LOOKUP_CLIENT_MISS_LIMIT_PER_HOUR: '100000',
  });
  const d = await receive(t);
  code = d.code;
  components = d.components;
  officer = await loginAs(t.app, 'canbo');
  csrf = csrfFrom((await officer.get(`/ho-so/${code}`)).text);
});
afterAll(() => t.close());

const NASTY = [
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '\u0000',
  'a\u0000b',
  '../../etc/passwd',
  'x'.repeat(3000),
  '%FF',
  '-1',
  '1e309',
  '__proto__',
  'result',
  '999999999',
  '',
  '  ',
];
const text = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 30 }));
const stored = async () =>
  (await t.ctx.db.selectFrom('stored_files').select('id').execute()).length;
const rows = async () => (await t.ctx.db.selectFrom('dossier_files').select('id').execute()).length;
const HEADS = [
  Buffer.from('%PDF-1.4\n'),
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  makePng().subarray(0, 33),
  Buffer.alloc(0),
];

describe('malformed input on the files’ forms and API', () => {
  it('API uploads of random bytes behind a real signature, with hostile fields: 4xx, nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HEADS),
        fc.uint8Array({ maxLength: 4000 }),
        fc.oneof(fc.constantFrom(...components, 'result'), text),
        fc.dictionary(fc.constantFrom('mode', 'valid_until', '_csrf', 'file', 'x'), text, {
          maxKeys: 3,
        }),
        fc.string({ maxLength: 40 }),
        async (head, body, component, fields, name) => {
          let r = t.api.upload(
            code,
            component,
            [{ name: name || 'a', bytes: Buffer.concat([head, Buffer.from(body)]) }],
            fields,
          );
          r = r.ok(() => true);
          const res = await r;
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await stored()).toBe(0);
    expect(await rows()).toBe(0);
  });

  it('page forms with hostile fields: 4xx or a redirect, never 5xx', async () => {
    const paths = [
      (c: string) => `/ho-so/${code}/giay-to/${c}/ban-giay`,
      (c: string) => `/ho-so/${code}/giay-to/${c}/dung-lai`,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(
          fc.constantFrom(...components, 'result'),
          fc.constantFrom('abc', '%', '0', '1e9', '..'),
        ),
        fc.dictionary(
          fc.constantFrom('reason', 'source', 'back', 'x'),
          fc.oneof(text, fc.array(text, { maxLength: 3 })),
          { maxKeys: 3 },
        ),
        async (path, component, body) => {
          const res = await officer
            .post(path(encodeURIComponent(component)))
            .type('form')
            .send({ _csrf: csrf, ...body });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('broken multipart bodies and odd paths: 4xx, never 5xx', async () => {
    const bodies = [
      '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4',
      '--x\r\n\r\n\r\n--x--',
      'not multipart at all',
      '--x\r\nContent-Disposition: form-data; name="component"\r\n\r\n1\r\n',
    ];
    for (const body of bodies) {
      const api = await request(t.app)
        .post(`/api/v1/dossiers/${code}/files`)
        .set('authorization', `Bearer ${t.token}`)
        .set('content-type', 'multipart/form-data; boundary=x')
        .send(body);
      expect(api.status).toBeGreaterThanOrEqual(400);
      expect(api.status).toBeLessThan(500);
      const page = await officer
        .post(`/ho-so/${code}/giay-to/${components[0]}/tep`)
        .set('content-type', 'multipart/form-data; boundary=x')
        .send(body);
      expect(page.status).toBeLessThan(500);
    }
    for (const path of [
      '/tep/abc',
      '/tep/99999999999',
      '/api/v1/files/%FF/content',
      '/api/v1/files/1e3/content',
      `/ho-so/${code}/giay-to/%E0%A4%A/tep`,
    ]) {
      const res = await officer.get(path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const citizen = await request(t.app)
      .post('/tra-cuu/ket-qua')
      .type('form')
      .send({ ma: ['a', 'b'], khoa: '\u0000', so_cuoi: 'x'.repeat(5000), tep: '-1' });
    expect(citizen.status).toBeLessThan(500);
    expect(await stored()).toBe(0);
  });

  it('the real files still go in after all that', async () => {
    for (const [i, bytes] of [chromiumPdf(), chromiumJpeg(), makePng()].entries()) {
      const res = await t.api.upload(code, i === 2 ? 'result' : components[i]!, [
        { name: 'ok', bytes },
      ]);
      expect(res.status).toBe(201);
    }
  });
});
