import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { signCallback } from '../../src/payments/callback-signature.js';
import { accountNamed } from '../support/factories.js';
import { BANK_SECRET, PAYMENT_ENV, receiveFeeDossier } from '../support/payments.js';
import { createTestApp, csrfFrom, loginAs, rawSql, type TestApp } from '../support/test-app.js';

/**
 * The payments' forms and API endpoints fed generated malformed payloads (as
 * test/http/bad-input.test.ts does for the rest): never a 5xx, and a rejected payload changes
 * no payment, receipt, callback or statement line.
 */
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 60);

let t: TestApp;
let officer: Awaited<ReturnType<typeof loginAs>>;
let boss: Awaited<ReturnType<typeof loginAs>>;
let officerCsrf: string;
let bossCsrf: string;
let token: string;
let bossToken: string;
let code: string;
let receiptId: number;
let lineId: number;

beforeAll(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z', env: PAYMENT_ENV });
  code = await receiveFeeDossier(t.ctx);
  const paid = await receiveFeeDossier(t.ctx, { personal_id: '035090001235' });
  token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'fuzz', null);
  bossToken = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'lanhdao')).id, 'fuzz', null);
  receiptId = (
    await request(t.app)
      .post(`/api/v1/dossiers/${paid}/payments`)
      .set('authorization', `Bearer ${token}`)
      .send({ amount: 20000 })
  ).body.receipt.id;
  // An open review line to resolve.
  const office = await t.ctx.db
    .selectFrom('offices')
    .select('id')
    .where('code', '=', '000.00.13.H40')
    .executeTakeFirstOrThrow();
  const statement = await t.ctx.db
    .insertInto('bank_statements')
    .values({
      office_id: office.id,
      account_id: 1,
      file_name: 'x',
      file_sha256: 'x',
      at: '2026-03-10T02:00:00Z',
      line_count: 1,
      matched_count: 0,
      review_count: 1,
      repeated_count: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  lineId = (
    await t.ctx.db
      .insertInto('bank_statement_lines')
      .values({
        statement_id: statement.id,
        office_id: office.id,
        line_key: 'k',
        line_no: 1,
        booked_on: '2026-03-10',
        amount: 5,
        description: 'x',
        bank_ref: 'x',
        match_state: 'unknown_reference',
        dossier_id: null,
        payment_id: null,
        review_state: 'open',
        resolved_at: null,
        resolved_by: null,
        resolution_note: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  officer = await loginAs(t.app, 'canbo');
  boss = await loginAs(t.app, 'lanhdao');
  officerCsrf = csrfFrom((await officer.get(`/ho-so/${code}/thu-phi`)).text);
  bossCsrf = csrfFrom((await boss.get('/thu-phi/doi-soat')).text);
});
afterAll(() => t.close());

const NASTY = [
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x'.repeat(5000),
  '-1',
  '1e309',
  'NaN',
  '20000',
  '20.000',
  '0',
  'child',
  'cash',
  '__proto__',
  '000.00.13.H40-260310-0001',
];
const FIELDS = [
  'amount',
  'payer_name',
  'version',
  'category',
  'basis',
  'reason',
  'note',
  'dossier_code',
  'method',
  'ngay',
  'office',
  'from',
  'to',
  '__proto__',
];
const text = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const value = fc.oneof(text, fc.array(text, { maxLength: 3 }));
const jsonValue = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(text, { maxLength: 3 }),
);
const payload = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })),
  value,
  { maxKeys: 8 },
);
const jsonPayload = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), jsonValue, {
    maxKeys: 8,
  }),
  jsonValue,
);

async function snapshot(): Promise<string> {
  return JSON.stringify(
    await Promise.all([
      rawSql(t.ctx, 'select * from payments order by id'),
      rawSql(t.ctx, 'select count(*) as n, max(id) as m from payment_events'),
      rawSql(t.ctx, 'select * from receipts order by id'),
      rawSql(t.ctx, 'select * from receipt_sequences'),
      rawSql(t.ctx, 'select * from payment_callbacks order by id'),
      rawSql(t.ctx, 'select * from bank_statement_lines order by id'),
    ]),
  );
}

function check(name: string, send: (p: unknown) => request.Test, arbitrary: fc.Arbitrary<unknown>) {
  it(`${name}: never 5xx, and a rejected payload changes nothing`, async () => {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (p) => {
        const before = await snapshot();
        const res = await send(p);
        expect(
          res.status,
          `${name} answered ${res.status} to ${JSON.stringify(p).slice(0, 200)}`,
        ).toBeLessThan(500);
        if (res.status >= 400) expect(await snapshot()).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
}

describe('malformed input on the payments’ forms and API', () => {
  for (const form of ['tien-mat', 'cho-chuyen-khoan', 'thoi-cho', 'so-tien']) {
    check(
      `POST /ho-so/:code/thu-phi/${form}`,
      (p) =>
        officer
          .post(`/ho-so/${code}/thu-phi/${form}`)
          .type('form')
          .send({ ...(p as object), _csrf: officerCsrf }),
      payload,
    );
  }
  for (const form of ['huy', 'hoan-phi']) {
    check(
      `POST /ho-so/:code/thu-phi/${form}`,
      (p) =>
        boss
          .post(`/ho-so/${code}/thu-phi/${form}`)
          .type('form')
          .send({ ...(p as object), _csrf: bossCsrf }),
      payload,
    );
  }
  check(
    'POST /thu-phi/bien-lai/:id/huy',
    (p) =>
      boss
        .post(`/thu-phi/bien-lai/${receiptId}/huy`)
        .type('form')
        .send({ ...(p as object), _csrf: bossCsrf }),
    payload,
  );
  check(
    'POST /thu-phi/doi-soat/line/:id',
    (p) =>
      boss
        .post(`/thu-phi/doi-soat/line/${lineId}`)
        .type('form')
        .send({ ...(p as object), _csrf: bossCsrf }),
    payload,
  );
  check(
    'GET /thu-phi/so-thu',
    (p) => officer.get('/thu-phi/so-thu').query(p as Record<string, string>),
    payload,
  );
  check(
    'POST /api/v1/dossiers/:code/payments',
    (p) =>
      request(t.app)
        .post(`/api/v1/dossiers/${code}/payments`)
        .set('authorization', `Bearer ${token}`)
        .set('content-type', 'application/json')
        .send(JSON.stringify(p)),
    jsonPayload,
  );
  check(
    'POST /api/v1/receipts/:id/cancel',
    (p) =>
      request(t.app)
        .post(`/api/v1/receipts/${receiptId}/cancel`)
        .set('authorization', `Bearer ${bossToken}`)
        .set('content-type', 'application/json')
        .send(JSON.stringify(p)),
    jsonPayload,
  );
  for (const path of ['/api/v1/payments/summary', '/api/v1/payments/takings'])
    check(
      `GET ${path}`,
      (p) =>
        request(t.app)
          .get(path)
          .set('authorization', `Bearer ${bossToken}`)
          .query(p as Record<string, string>),
      payload,
    );
  // Signed garbage reaches the body's checks; unsigned garbage stops at the signature.
  check(
    'POST /api/v1/payments/callback/:provider (signed)',
    (p) => {
      const body = JSON.stringify(p);
      const ts = String(Math.floor(t.clock.now().getTime() / 1000));
      return request(t.app)
        .post('/api/v1/payments/callback/bank')
        .set('content-type', 'application/json')
        .set('x-timestamp', ts)
        .set('x-signature', signCallback(BANK_SECRET, ts, body))
        .send(body);
    },
    jsonPayload,
  );
  check(
    'POST /api/v1/payments/callback/:provider (unsigned)',
    (p) =>
      request(t.app)
        .post('/api/v1/payments/callback/bank')
        .set('content-type', 'application/json')
        .send(JSON.stringify(p)),
    jsonPayload,
  );
});
