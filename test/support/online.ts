import request from 'supertest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed, documentIds } from './factories.js';
import { makePdf, makePng } from './file-fixtures.js';
import type { FilesApp } from './files-helpers.js';

/** A portal's token (scope portal) on canbo's account: its deliveries land in canbo's office. */
export async function portalToken(t: FilesApp): Promise<string> {
  const canbo = await accountNamed(t.ctx, 'canbo');
  return issueApiToken(t.ctx, canbo.id, 'cong-dvc', null, { scope: 'portal' });
}

/** A delivery of the căn cước procedure with two files (a PDF and a PNG) for two documents. */
export async function delivery(t: FilesApp, overrides: Record<string, unknown> = {}) {
  const [first, second] = (await documentIds(t.ctx, '2.000200')).map(Number);
  return {
    portal_code: 'G22.99-260310-0001',
    procedure_code: '2.000200',
    submitted_at: '2026-03-09T20:15:00+07:00',
    return_channel: 'counter',
    applicant: {
      name: 'Nguyễn Văn An',
      personal_id: '035090001234',
      birth_date: '1990-05-01',
      sex: 'male',
      phone: '0912345678',
      address: 'Thôn 3, xã Hòa Hậu, Lý Nhân, Hà Nam',
    },
    components: [
      {
        document_id: first,
        files: [
          {
            name: 'to-khai.pdf',
            content_type: 'application/pdf',
            data_base64: makePdf({ pages: 2 }).toString('base64'),
          },
        ],
      },
      {
        document_id: second,
        files: [
          {
            name: 'anh.png',
            content_type: 'image/png',
            data_base64: makePng(40, 30).toString('base64'),
          },
        ],
      },
    ],
    ...overrides,
  };
}

export const deliver = (t: FilesApp, token: string, body: unknown) =>
  request(t.app)
    .post('/api/v1/online-dossiers')
    .set('authorization', `Bearer ${token}`)
    .send(body as object);

/**
 * The same delivery as a multipart form: its fields as the `dossier` JSON part, each file a part
 * named `components[<document_id>]` (files given as bytes, decoded from the JSON delivery's base64).
 */
export function deliverMultipart(
  t: FilesApp,
  token: string | null,
  body: Awaited<ReturnType<typeof delivery>>,
  extraParts: { field: string; name: string; bytes: Buffer; type?: string }[] = [],
) {
  const { components, ...fields } = body;
  let r = request(t.app).post('/api/v1/online-dossiers');
  if (token) r = r.set('authorization', `Bearer ${token}`);
  r = r.field('dossier', JSON.stringify(fields), { contentType: 'application/json' });
  for (const c of components)
    for (const f of c.files)
      r = r.attach(`components[${c.document_id}]`, Buffer.from(f.data_base64, 'base64'), {
        filename: f.name,
        contentType: f.content_type,
      });
  for (const p of extraParts)
    r = r.attach(p.field, p.bytes, { filename: p.name, contentType: p.type ?? 'application/pdf' });
  return r;
}
