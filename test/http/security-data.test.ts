import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { performDossierAction } from '../../src/dossiers/workflow/workflow.service.js';
import { applyRetention } from '../../src/retention/retention.service.js';
import { accountNamed, createOfficerAt, validIntake } from '../support/factories.js';
import { createTestApp, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

// Attacks on citizens' data (docs/SECURITY.md). Each failed on the code before the fix it names.
let t: TestApp;
afterEach(() => t?.close());

async function dossier(overrides: Record<string, unknown> = {}) {
  const result = await receiveDossier(
    t.ctx,
    await accountNamed(t.ctx, 'canbo'),
    await validIntake(t.ctx, overrides),
  );
  return { code: result.code!, key: result.lookupKey! };
}

describe('citizen lookup', () => {
  it("keeps the right key working after a stranger's wrong keys (was: 429 for an hour)", async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'true', LOOKUP_RATE_LIMIT_PER_MIN: '1000' } });
    const { code, key } = await dossier();
    const from = (ip: string, k: string) =>
      request(t.app).get('/tra-cuu').set('x-forwarded-for', ip).query({ ma: code, khoa: k });
    const statuses = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await from('203.0.113.9', `SAI${String(i).padStart(5, 'X')}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect((await from('198.51.100.7', key)).status).toBe(200);
    // The API shares the limits (one normalised code, whichever parameter carried it).
    expect(
      (
        await request(t.app)
          .get('/api/v1/lookup')
          .set('x-forwarded-for', '203.0.113.9')
          .query({ code, key: 'SAISAISA' })
      ).status,
    ).toBe(429);
  });

  it('refuses a lookup that names the code twice (was: a bypass of the per-code limit)', async () => {
    t = await createTestApp();
    const { code, key } = await dossier();
    const page = await request(t.app).get('/tra-cuu').query({ code: 'T', ma: code, khoa: key });
    expect(page.status).toBe(422);
    expect(page.text).toContain('ghi hai lần');
    const api = await request(t.app).get('/api/v1/lookup').query({ code, ma: 'X', key });
    expect(api.status).toBe(422);
  });

  it('limits wrong keys on the rating form too (was: unlimited)', async () => {
    t = await createTestApp({
      env: { LOOKUP_RATE_LIMIT_PER_MIN: '1000', LOOKUP_CODE_RATE_LIMIT_PER_HOUR: '3' },
    });
    const { code } = await dossier();
    const rate = () =>
      request(t.app)
        .post('/tra-cuu/danh-gia')
        .type('form')
        .send({ ma: code, khoa: 'SAISAISA', level: 'satisfied' });
    for (let i = 0; i < 3; i++) expect((await rate()).status).toBe(404);
    expect((await rate()).status).toBe(429);
  });

  it('stores lookup keys as a keyed hash, not one a stolen backup can brute-force (was: plain SHA-256)', async () => {
    t = await createTestApp();
    const { code, key } = await dossier();
    const row = await t.ctx.db
      .selectFrom('dossiers')
      .select('lookup_key_hash')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    const { createHash } = await import('node:crypto');
    expect(row.lookup_key_hash).toMatch(/^h1:[0-9a-f]{64}$/);
    expect(row.lookup_key_hash).not.toBe(
      createHash('sha256').update(`${code}:${key}`).digest('hex'),
    );
    expect(key).toHaveLength(8);
  });
});

describe('caching and logs', () => {
  it('sends no-store on every page and API answer with personal data, and lets static files be cached (was: no header)', async () => {
    t = await createTestApp();
    const { code } = await dossier();
    const agent = await loginAs(t.app, 'canbo');
    for (const path of [
      `/ho-so/${code}`,
      `/ho-so/${code}/phieu/receipt`,
      '/ho-so?q=035090001234',
      '/ho-so/hom-nay',
      `/api/v1/dossiers/${code}`,
    ]) {
      const res = await agent.get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-store');
    }
    const applicant = await agent
      .post('/api/v1/applicants/lookup')
      .set('x-csrf-token', await csrfOf(agent, '/ho-so/moi'))
      .send({ personal_id: '035090001234' });
    expect(applicant.headers['cache-control']).toBe('no-store');
    expect((await request(t.app).get('/public/css/app.css')).headers['cache-control']).not.toBe(
      'no-store',
    );
  });

  it('keeps ID numbers out of the path and the log; an unknown number is a 200 with no applicant (was: GET /api/v1/applicants/<id>, 404)', async () => {
    t = await createTestApp();
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const app = createApp({ ...t.ctx, logger });
    await dossier();
    const agent = await loginAs(app, 'canbo');
    const csrf = await csrfOf(agent, '/ho-so/moi');
    const known = await agent
      .post('/api/v1/applicants/lookup')
      .set('x-csrf-token', csrf)
      .send({ personal_id: '035090001234' });
    expect(known.body.applicant.applicant_name).toBe('Nguyễn Văn An');
    const unknown = await agent
      .post('/api/v1/applicants/lookup')
      .set('x-csrf-token', csrf)
      .send({ personal_id: '037090009999' });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ applicant: null });
    expect((await agent.get('/api/v1/applicants/035090001234')).status).toBe(404);
    expect(lines.join('')).toContain('************');
    expect(lines.join('')).not.toMatch(/035090001234|037090009999/);
  });
});

describe('error pages for bodies that cannot be parsed', () => {
  const bodies: [string, (r: request.Test) => request.Test][] = [
    ['a body over 100 kB', (r) => r.type('form').send(`applicant_name=${'a'.repeat(150_000)}`)],
    [
      'more than 500 fields',
      (r) => r.type('form').send(Array.from({ length: 600 }, (_, i) => `f${i}=1`).join('&')),
    ],
    ['bad JSON', (r) => r.set('content-type', 'application/json').send('{"procedure_code": ')],
    [
      'a broken gzip body',
      (r) =>
        r
          .set('content-type', 'application/x-www-form-urlencoded')
          .set('content-encoding', 'gzip')
          .send(Buffer.from('not gzip at all')),
    ],
    [
      'an unknown charset',
      (r) =>
        r.set('content-type', 'application/x-www-form-urlencoded; charset=klingon').send('a=1'),
    ],
    [
      'an unknown encoding',
      (r) =>
        r
          .set('content-type', 'application/x-www-form-urlencoded')
          .set('content-encoding', 'br2')
          .send(gzipSync('a=1')),
    ],
  ];
  for (const env of ['development', 'production'] as const) {
    it.each(bodies)(
      `renders our Vietnamese error page, never a stack, for %s (${env}) (was: Express's page with the stack)`,
      async (_name, send) => {
        t = await createTestApp();
        const config = loadConfig({
          NODE_ENV: env,
          DATABASE_URL: ':memory:',
          SESSION_SECRET: 'x'.repeat(32),
        });
        const app = createApp({ ...t.ctx, config });
        const res = await send(request(app).post('/ho-so'));
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(res.text).toContain('lang="vi"');
        expect(res.text).toMatch(/Dữ liệu gửi lên|Yêu cầu không hợp lệ/);
        expect(res.text).not.toMatch(/ at |node_modules|Payload Too Large|SyntaxError|<%/);
      },
    );
  }
});

describe('other offices, uploads and exports', () => {
  it("answers another office's dossier 404, exactly like a missing one (was: 403)", async () => {
    t = await createTestApp();
    const { code } = await dossier();
    await createOfficerAt(t.ctx, '000.11.13.H40', 'canbo.xa');
    const commune = await loginAs(t.app, 'canbo.xa');
    const other = await commune.get(`/ho-so/${code}`);
    const missing = await commune.get('/ho-so/000.00.13.H40-260310-9999');
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((await commune.get(`/api/v1/dossiers/${code}`)).body.error.code).toBe(
      (await commune.get('/api/v1/dossiers/000.00.13.H40-260310-9999')).body.error.code,
    );
  });

  it('keeps the upload folder private to the server (0700, files 0600) (was: world-readable)', async () => {
    const { mkdtempSync, statSync, readdirSync } = await import('node:fs');
    const os = await import('node:os');
    const dir = `${mkdtempSync(`${os.tmpdir()}/motcua-up-`)}/uploads`;
    t = await createTestApp({ env: { IMPORT_UPLOAD_DIR: dir } });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const admin = await loginAs(t.app, 'quantri');
    const office = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    const checked = await admin
      .post('/quan-tri/nhap-so/kiem-tra')
      .field('_csrf', await csrfOf(admin))
      .field('office_id', String(office.id))
      .attach(
        'file',
        Buffer.from(
          '\uFEFFSTT,Mã hồ sơ,Mã thủ tục,Tên thủ tục,Người nộp,Số định danh,Điện thoại,Địa chỉ,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả,Trạng thái,Kết quả,Ghi chú\r\n' +
            '1,,2.000200,Cấp thẻ căn cước,Nguyễn Văn An,035090001234,0912345678,Thôn 3,09/03/2026 08:00,,,,Đang giải quyết,,\r\n',
        ),
        'so.csv',
      );
    expect(checked.status).toBe(200);
    const kept = readdirSync(dir).filter((f) => f.endsWith('.upload'));
    expect(kept.length).toBeGreaterThan(0);
    for (const f of kept) expect(statSync(`${dir}/${f}`).mode & 0o777).toBe(0o600);
  });

  it('writes ID numbers and phones in the CSV tracking book so that Excel keeps the leading zero (was: 35090001234)', async () => {
    t = await createTestApp();
    await dossier();
    const supervisor = await loginAs(t.app, 'lanhdao');
    const res = await supervisor
      .get('/bao-cao/xuat/so-theo-doi.csv')
      .query({ period: 'month' })
      .buffer(true)
      .parse((r, cb) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString('utf8')));
        r.on('end', () => cb(null, body));
      });
    expect(res.body as string).toContain('"=""035090001234"""');
    expect(res.body as string).toContain('"=""0912345678"""');
  });
});

describe('personal-data duties', () => {
  it('records who viewed, searched and looked up a citizen, and an administrator finds it by the person (was: nothing recorded)', async () => {
    t = await createTestApp();
    const { code } = await dossier();
    const officer = await loginAs(t.app, 'canbo');
    await officer.get(`/ho-so/${code}`);
    await officer.get('/ho-so').query({ q: '035090001234' });
    await officer.get('/ho-so').query({ q: code }); // a code is not a person: not an access event
    await officer
      .post('/api/v1/applicants/lookup')
      .set('x-csrf-token', await csrfOf(officer, '/ho-so/moi'))
      .send({ personal_id: '035090001234' });
    const events = await t.ctx.db
      .selectFrom('access_events')
      .select(['action', 'subject', 'details'])
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.action, e.subject])).toEqual([
      ['dossier.viewed', code],
      ['dossier.searched', 'personal_id'],
      ['applicant.looked_up', 'personal_id'],
    ]);
    expect(JSON.stringify(events)).not.toContain('035090001234');
    const admin = await loginAs(t.app, 'quantri');
    const byPerson = await admin.get('/quan-tri/truy-cap').query({ person: '035 090 001 234' });
    expect(byPerson.status).toBe(200);
    expect(byPerson.text).toContain('Tìm hồ sơ theo người');
    expect(byPerson.text).toContain('Tra thông tin người nộp');
    expect(byPerson.text).toContain('<td>Tìm hồ sơ theo người</td>');
    expect(byPerson.text).not.toContain('<td>Xem hồ sơ</td>');
    // A phone searched as "+84 912 345 678" is found by the administrator typing 0912345678.
    await officer.get('/ho-so').query({ q: '+84 912 345 678' });
    const byPhone = await admin.get('/quan-tri/truy-cap').query({ person: '0912345678' });
    expect(byPhone.text).toContain('<td>phone</td>');
    expect((await officer.get('/quan-tri/truy-cap')).status).toBe(403);
  });

  it('records how many rows an export carried (was: only that it started)', async () => {
    t = await createTestApp();
    await dossier();
    await dossier({ personal_id: '035190004321', sex: 'female', applicant_name: 'Lê Thị Bình' });
    const supervisor = await loginAs(t.app, 'lanhdao');
    expect(
      (await supervisor.get('/bao-cao/xuat/so-theo-doi.csv').query({ period: 'month' })).status,
    ).toBe(200);
    const finished = await t.ctx.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'export.tracking_book.csv.finished')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(finished.details).rows).toBe(2);
    const access = await t.ctx.db
      .selectFrom('access_events')
      .select(['action', 'details'])
      .where('action', '=', 'export.tracking_book')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(access.details).rows).toBe(2);
  });

  it('anonymises closed dossiers and drops lookup counts after the retention period; a dry run changes nothing', async () => {
    t = await createTestApp({
      env: { RETENTION_CLOSED_DOSSIER_DAYS: '365', RETENTION_LOOKUP_EVENT_DAYS: '30' },
    });
    const officer = await accountNamed(t.ctx, 'canbo');
    const old = await dossier();
    await performDossierAction(t.ctx, officer, old.code, 'mark_result_ready', { version: '1' });
    await performDossierAction(t.ctx, officer, old.code, 'return_result', {
      version: '2',
      returned_to: 'Nguyễn Văn An',
    });
    const open = await dossier({
      personal_id: '035190004321',
      sex: 'female',
      applicant_name: 'Lê Thị Bình',
    });
    await request(t.app).get('/tra-cuu').query({ ma: old.code, khoa: old.key });
    await t.ctx.lookupEvents.flush();
    const before = await t.ctx.db
      .selectFrom('report_daily')
      .select(['measure', 'n'])
      .orderBy('measure')
      .execute();

    t.clock.advanceMinutes(400 * 24 * 60);
    const dry = await applyRetention(t.ctx, { apply: false });
    expect(dry).toMatchObject({ dossiers: 1, lookupEvents: 1, applied: false });
    expect(
      (
        await t.ctx.db
          .selectFrom('dossiers')
          .select('personal_id')
          .where('code', '=', old.code)
          .executeTakeFirstOrThrow()
      ).personal_id,
    ).toBe('035090001234');

    const applied = await applyRetention(t.ctx, { apply: true });
    expect(applied).toMatchObject({ dossiers: 1, lookupEvents: 1, applied: true });
    const gone = await t.ctx.db
      .selectFrom('dossiers')
      .selectAll()
      .where('code', '=', old.code)
      .executeTakeFirstOrThrow();
    expect(gone).toMatchObject({
      applicant_name: '(đã ẩn danh)',
      personal_id: null,
      birth_date: null,
      phone: null,
      address: '',
      returned_to: null,
      outcome: 'early',
      code: old.code,
    });
    expect(
      (
        await t.ctx.db
          .selectFrom('dossiers')
          .select('personal_id')
          .where('code', '=', open.code)
          .executeTakeFirstOrThrow()
      ).personal_id,
    ).toBe('035190004321');
    expect(await t.ctx.db.selectFrom('lookup_events').selectAll().execute()).toEqual([]);
    // The reports count the same.
    expect(
      await t.ctx.db
        .selectFrom('report_daily')
        .select(['measure', 'n'])
        .orderBy('measure')
        .execute(),
    ).toEqual(before);
    expect((await applyRetention(t.ctx, { apply: true })).dossiers).toBe(0);
  });
});
