import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { performDossierAction } from '../../src/dossiers/workflow/workflow.service.js';
import { maskName } from '../../src/lookup/lookup.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { decodeQrSvg } from '../support/qr-decode.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({
    now: '2026-03-10T02:00:00Z',
    env: { LOOKUP_RATE_LIMIT_PER_MIN: '20', LOOKUP_CODE_RATE_LIMIT_PER_HOUR: '5' },
  });
});
afterEach(() => t.close());

async function newDossier() {
  const officer = await accountNamed(t.ctx, 'canbo');
  const result = await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
  return { code: result.code!, key: result.lookupKey!, officer };
}

async function advance(
  code: string,
  officer: Awaited<ReturnType<typeof accountNamed>>,
  ...steps: [string, Record<string, string>?][]
) {
  for (const [action, fields] of steps) {
    const d = await t.ctx.db
      .selectFrom('dossiers')
      .select('version')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    await performDossierAction(t.ctx, officer, code, action as never, {
      version: String(d.version),
      ...fields,
    });
  }
}

const lookup = (code: string, key: string) =>
  request(t.app).get('/tra-cuu').query({ ma: code, khoa: key });
const PERSONAL = [
  '035090001234',
  '0912345678',
  'Nguyễn Văn An',
  'Thôn 3, xã Hòa Hậu',
  '1990-05-01',
  '01/05/1990',
  'Phiếu thu nhận thông tin căn cước',
];

describe('citizen lookup page', () => {
  it('shows the status in plain words with the right key, and no personal data', async () => {
    const { code, key } = await newDossier();
    const res = await lookup(code, key);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('Đang giải quyết');
    expect(res.text).toContain(code);
    expect(res.text).toContain('N*** V*** A***');
    expect(res.text).toContain('17:00, Thứ Năm, 19/03/2026');
    expect(res.text).toContain('Phòng Cảnh sát QLHC về TTXH – Công an tỉnh Ninh Bình');
    expect(res.text).toContain('0229 3871 113');
    for (const secret of PERSONAL) expect(res.text).not.toContain(secret);
  });

  it('accepts the key in lower case and with spaces, as people type it', async () => {
    const { code, key } = await newDossier();
    const res = await lookup(
      code.toLowerCase(),
      ` ${key.slice(0, 3).toLowerCase()} ${key.slice(3)} `,
    );
    expect(res.status).toBe(200);
  });

  it('gives the same answer for a wrong key and an unknown code', async () => {
    const { code, key } = await newDossier();
    const wrongKey = await lookup(code, key === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA');
    const unknown = await lookup('000.00.13.H40-260310-0999', 'AAAAAA');
    expect(wrongKey.status).toBe(404);
    expect(unknown.status).toBe(404);
    const normalize = (html: string) =>
      html
        .replaceAll(code, 'CODE')
        .replaceAll('000.00.13.H40-260310-0999', 'CODE')
        .replace(/key-[^"]*/g, '');
    expect(normalize(wrongKey.text)).toBe(normalize(unknown.text));
    expect(wrongKey.text).toContain('Không tìm thấy hồ sơ, hoặc mã tra cứu không đúng.');
    await t.ctx.lookupEvents.flush();
    const events = await t.ctx.db.selectFrom('lookup_events').select(['code', 'hit']).execute();
    expect(events).toEqual([
      { code, hit: 0 },
      { code: '000.00.13.H40-260310-0999', hit: 0 },
    ]);
  });

  it('never shows a dossier that was not accepted (no code, no key)', async () => {
    const res = await lookup('', 'ABCDEF');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Vui lòng nhập mã hồ sơ và mã tra cứu.');
  });

  it('says what to bring: the papers asked for, then the receipt and ID card for pick-up', async () => {
    const { code, key, officer } = await newDossier();
    await advance(
      code,
      officer,
      ['start_processing'],
      [
        'request_supplement',
        { supplement_what: 'Ảnh chân dung 4x6 nền trắng', reason: 'Ảnh cũ không đạt chuẩn.' },
      ],
    );
    const supplement = await lookup(code, key);
    expect(supplement.text).toContain('Cần bổ sung giấy tờ');
    expect(supplement.text).toContain('Ảnh chân dung 4x6 nền trắng');
    expect(supplement.text).not.toContain('Ảnh cũ không đạt chuẩn.');
    await advance(code, officer, ['receive_supplement'], ['mark_result_ready']);
    const ready = await lookup(code, key);
    expect(ready.text).toContain('Đã có kết quả, mời nhận');
    expect(ready.text).toContain('Thẻ căn cước');
    expect(ready.text).toContain('Trước hạn');
  });

  it('does not reveal refusal details', async () => {
    const { code, key, officer } = await newDossier();
    await advance(code, officer, ['refuse', { reason: 'Hồ sơ có dấu hiệu giả mạo giấy tờ.' }]);
    const res = await lookup(code, key);
    expect(res.text).toContain('Hồ sơ không được giải quyết');
    expect(res.text).not.toContain('giả mạo');
  });

  it('escapes every field it shows', async () => {
    const { code, key } = await newDossier();
    await t.ctx.db
      .updateTable('dossiers')
      .set({ procedure_name: '<script>alert("p")</script>', applicant_name: '<img src=x>' })
      .execute();
    await t.ctx.db
      .updateTable('offices')
      .set({ name: '<b>office</b>', address: '<i>addr</i>' })
      .execute();
    // The page reads its office from the master data, as an administrative change clears it.
    t.ctx.masterData.invalidate();
    const res = await lookup(code, key);
    expect(res.text).not.toMatch(/<script>alert|<b>office|<i>addr/);
    expect(res.text).toContain('&lt;script&gt;alert(&#34;p&#34;)&lt;/script&gt;');
    expect(res.text).toContain('&lt;b&gt;office&lt;/b&gt;');
    expect(res.text).toContain('&lt;*** s***');
  });
});

describe('its own path', () => {
  it('answers with the security headers every other page has, set once, and no-store', async () => {
    const { code, key } = await newDossier();
    const login = await request(t.app).get('/dang-nhap');
    const helmetHeaders = Object.keys(login.headers).filter(
      (h) =>
        h.startsWith('content-security-policy') ||
        h.startsWith('cross-origin-') ||
        h.startsWith('x-') ||
        ['referrer-policy', 'origin-agent-cluster'].includes(h),
    );
    expect(helmetHeaders.length).toBeGreaterThan(8);
    for (const res of [
      await lookup(code, key),
      await lookup(code, 'WRONG1'),
      await request(t.app).get('/api/v1/lookup').query({ code, key }),
      await request(t.app).get('/api/v1/lookup').query({ code }),
    ]) {
      for (const h of helmetHeaders)
        if (h !== 'x-request-id') expect([h, res.headers[h]]).toEqual([h, login.headers[h]]);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });
});

describe('rate limits', () => {
  it('stop guessing keys for one code after 5 misses an hour, with a "try again" page, then recover', async () => {
    const { code, key } = await newDossier();
    for (let i = 0; i < 5; i++) expect((await lookup(code, `WRONG${i}`)).status).toBe(404);
    const blocked = await lookup(code, key);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Vui lòng thử lại sau 60 phút.');
    expect(blocked.headers['retry-after']).toBe('3600');
    t.clock.advanceMinutes(61);
    expect((await lookup(code, key)).status).toBe(200);
  });

  it('limit one client address per minute, then recover', async () => {
    const { code, key } = await newDossier();
    for (let i = 0; i < 20; i++) expect((await lookup(code, key)).status).toBe(200);
    const blocked = await lookup(code, key);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau 1 phút.');
    t.clock.advanceMinutes(1);
    expect((await lookup(code, key)).status).toBe(200);
  });

  it('do not apply to the empty form', async () => {
    for (let i = 0; i < 30; i++) expect((await request(t.app).get('/tra-cuu')).status).toBe(200);
  });
});

describe('satisfaction rating', () => {
  it('is offered once after return, and a second rating is refused', async () => {
    const { code, key, officer } = await newDossier();
    expect((await lookup(code, key)).text).not.toContain('Gửi đánh giá');
    await advance(
      code,
      officer,
      ['mark_result_ready'],
      ['return_result', { returned_to: 'Nguyễn Văn An' }],
    );
    const agent = request.agent(t.app);
    const page = await agent.get('/tra-cuu').query({ ma: code, khoa: key });
    expect(page.text).toContain('Gửi đánh giá');
    const empty = await agent.post('/tra-cuu/danh-gia').type('form').send({ ma: code, khoa: key });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Chọn một mức đánh giá.');
    const rated = await agent
      .post('/tra-cuu/danh-gia')
      .type('form')
      .send({ ma: code, khoa: key, level: 'very_satisfied', comment: 'Cán bộ nhiệt tình.' });
    expect(rated.status).toBe(200);
    expect(rated.text).toContain('Cảm ơn Ông/Bà đã đánh giá.');
    const again = await agent
      .post('/tra-cuu/danh-gia')
      .type('form')
      .send({ ma: code, khoa: key, level: 'unsatisfied' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('đã được đánh giá');
    // The lookup reads the rating back with the dossier (one statement, a scalar subquery).
    const json = await request(t.app).get('/api/v1/lookup').query({ code, key });
    expect(json.body.dossier.rating).toEqual({ level: 'very_satisfied', label: 'Rất hài lòng' });
    expect(json.body.dossier.canRate).toBeUndefined();
    expect(await t.ctx.db.selectFrom('ratings').select(['level', 'comment']).execute()).toEqual([
      { level: 'very_satisfied', comment: 'Cán bộ nhiệt tình.' },
    ]);
  });

  it('counts a rating as one lookup: one hit event for a good rating, one miss for a wrong key', async () => {
    const { code, key, officer } = await newDossier();
    await advance(
      code,
      officer,
      ['mark_result_ready'],
      ['return_result', { returned_to: 'Nguyễn Văn An' }],
    );
    const events = async () => {
      await t.ctx.lookupEvents.flush();
      return (
        await t.ctx.db.selectFrom('lookup_events').select(['code', 'hit']).orderBy('id').execute()
      ).map((e) => e.hit);
    };
    const agent = request.agent(t.app);
    expect(
      (
        await agent
          .post('/tra-cuu/danh-gia')
          .type('form')
          .send({ ma: code, khoa: key, level: 'satisfied' })
      ).status,
    ).toBe(200);
    expect(await events()).toEqual([1]);
    expect(
      (await agent.post('/tra-cuu/danh-gia').type('form').send({ ma: code, khoa: key })).status,
    ).toBe(409);
    expect(await events()).toEqual([1, 1]);
    expect(
      (
        await agent
          .post('/tra-cuu/danh-gia')
          .type('form')
          .send({ ma: code, khoa: 'ZZZZZZ', level: 'satisfied' })
      ).status,
    ).toBe(404);
    expect(await events()).toEqual([1, 1, 0]);
  });

  it('refuses a rating with a wrong key', async () => {
    const { code, key, officer } = await newDossier();
    await advance(code, officer, ['mark_result_ready'], ['return_result', { returned_to: 'An' }]);
    const agent = request.agent(t.app);
    await agent.get('/tra-cuu').query({ ma: code, khoa: key });
    const res = await agent
      .post('/tra-cuu/danh-gia')
      .type('form')
      .send({ ma: code, khoa: 'ZZZZZZ', level: 'satisfied' });
    expect(res.status).toBe(404);
    expect(await t.ctx.db.selectFrom('ratings').selectAll().execute()).toEqual([]);
  });
});

describe('GET /api/v1/lookup', () => {
  it('returns the same public data as JSON, without personal data', async () => {
    const { code, key } = await newDossier();
    const res = await request(t.app).get('/api/v1/lookup').query({ code, key });
    expect(res.status).toBe(200);
    expect(res.body.dossier).toMatchObject({
      code,
      statusLabel: 'Đang giải quyết',
      maskedName: 'N*** V*** A***',
      dueAt: '2026-03-19T10:00:00.000Z',
    });
    const json = JSON.stringify(res.body);
    for (const secret of PERSONAL) expect(json).not.toContain(secret);
    const miss = await request(t.app).get('/api/v1/lookup').query({ code, key: 'ZZZZZZ' });
    const unknown = await request(t.app)
      .get('/api/v1/lookup')
      .query({ code: 'X-260310-0001', key: 'ZZZZZZ' });
    expect(miss.status).toBe(404);
    expect(miss.body).toEqual(unknown.body);
    expect((await request(t.app).get('/api/v1/lookup')).status).toBe(422);
  });

  it('gives the office’s published hours, and the new ones once the office changes them', async () => {
    const { code, key, officer } = await newDossier();
    const hours = async () =>
      (await request(t.app).get('/api/v1/lookup').query({ code, key })).body.dossier.office.hours;
    expect(await hours()).toMatch(/07:30–11:30, 13:30–17:00/);
    await t.ctx.db
      .updateTable('offices')
      .set({ working_hours: '08:00-12:00,13:00-16:30' })
      .where('id', '=', officer.officeId)
      .execute();
    t.ctx.masterData.invalidate(); // what every admin change of an office does
    expect(await hours()).toMatch(/08:00–12:00, 13:00–16:30/);
  });
});

describe('the QR code on the receipt', () => {
  it('decodes to a URL that opens this page with the dossier shown', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const form = await agent.get('/ho-so/moi?thu-tuc=2.000200');
    const token = /name="form_token" value="([^"]+)"/.exec(form.text)![1];
    const created = await agent
      .post('/ho-so')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), form_token: token, ...(await validIntake(t.ctx)) });
    const receipt = await agent.get(created.headers.location!);
    const svg = /<div class="qr">(<svg[\s\S]*?<\/svg>)/.exec(receipt.text)![1]!;
    const url = decodeQrSvg(svg);
    expect(url).toMatch(
      /^http:\/\/localhost:3000\/tra-cuu\?ma=000\.00\.13\.H40-260310-0001&khoa=[2-9A-HJKMNP-Z]{8}$/,
    );
    const parsed = new URL(url!);
    const page = await request(t.app).get(parsed.pathname + parsed.search);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Đang giải quyết');
    expect(page.text).toContain('000.00.13.H40-260310-0001');
  });
});

describe('maskName', () => {
  it('keeps first letters only', () => {
    expect(maskName('Nguyễn Văn An')).toBe('N*** V*** A***');
    expect(maskName('  Đặng  Thị Đào ')).toBe('Đ*** T*** Đ***');
  });
});
