import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { issueTicket } from '../../src/queue/tickets.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, csrfFrom, loginAs, rawSql, type TestApp } from '../support/test-app.js';

/**
 * Every form and API endpoint, fed generated malformed payloads: wrong types, huge strings,
 * invalid UTF-8, control characters, SQL and HTML injection, missing and extra fields. Each must
 * answer 4xx (or a normal 2xx/3xx when the payload happens to be valid), never 5xx, and a
 * rejected payload must leave the data unchanged.
 */
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 150);

let t: TestApp;
let officer: Awaited<ReturnType<typeof loginAs>>;
let admin: Awaited<ReturnType<typeof loginAs>>;
let anonymous: ReturnType<typeof request.agent>;
let anonymousCsrf: string;
let officerCsrf: string;
let adminCsrf: string;
let token: string;
let code: string;
let accountId: number;
let procedureId: number;
let officeId: number;
let ticketId: number;

beforeAll(async () => {
  t = await createTestApp({
    now: '2026-03-10T02:00:00Z',
    env: {
      LOOKUP_RATE_LIMIT_PER_MIN: '100000',
      LOOKUP_CODE_RATE_LIMIT_PER_HOUR: '100000',
      LOGIN_RATE_LIMIT_PER_15_MIN: '100000',
      BOOKING_RATE_LIMIT_PER_HOUR: '100000',
    },
  });
  const account = await accountNamed(t.ctx, 'canbo');
  code = (await receiveDossier(t.ctx, account, await validIntake(t.ctx))).code!;
  token = await issueApiToken(t.ctx, account.id, 'fuzz', null);
  officer = await loginAs(t.app, 'canbo');
  admin = await loginAs(t.app, 'quantri');
  officerCsrf = csrfFrom((await officer.get('/ho-so/hom-nay')).text);
  anonymous = request.agent(t.app);
  anonymousCsrf = csrfFrom((await anonymous.get('/dang-nhap')).text);
  adminCsrf = csrfFrom((await admin.get('/quan-tri')).text);
  accountId = account.id;
  procedureId = (
    await t.ctx.db
      .selectFrom('procedures')
      .select('id')
      .where('code', '=', '2.000200')
      .executeTakeFirstOrThrow()
  ).id;
  officeId = (
    await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.12.13.H40')
      .executeTakeFirstOrThrow()
  ).id;
  ticketId = (await issueTicket(t.ctx, { office: '000.00.13.H40', service_group: 'CC' }, null))
    .ticket.id;
  await countRowWrites();
});
afterAll(() => t.close());

const NASTY = [
  "' OR 1=1 --",
  "'; DROP TABLE dossiers; --",
  '" OR ""="',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000',
  '\u0007bell',
  'a\u0000b',
  '\u202eRTL',
  '\ud83d\ude00',
  '\ufeff',
  '%00',
  '%FF%FE',
  '../../etc/passwd',
  '${7*7}',
  '{{7*7}}',
  'x'.repeat(5000),
  'Nguyễn Văn An',
  '035090001234',
  '0912345678',
  '2026-02-30',
  '-1',
  '1e309',
  'NaN',
  '  ',
  '',
  '000.00.13.H40-260310-0001',
  'very_satisfied',
  'accept',
  'on',
  '__proto__',
  'constructor',
];

const FIELD_NAMES = [
  'procedure_code',
  'outcome',
  'documents',
  'applicant_name',
  'personal_id',
  'birth_date',
  'sex',
  'phone',
  'address',
  'vehicle_kind',
  'vehicle_id',
  'note',
  'refusal_reason',
  'form_token',
  'version',
  'reason',
  'supplement_what',
  'returned_to',
  'new_due_date',
  'ma',
  'khoa',
  'level',
  'comment',
  'username',
  'password',
  'password_confirm',
  'full_name',
  'role',
  'office_id',
  'active',
  'name',
  'code',
  'short_name',
  'address',
  'parent_id',
  'valid_from',
  'valid_to',
  'field',
  'report_group',
  'processing_days',
  'fee_vnd',
  'is_vehicle',
  'copy_kind',
  'quantity',
  'position',
  'required',
  'day',
  'kind',
  'kho',
  '__proto__',
  'constructor',
  'q',
  'page',
  'period',
  'from',
  'to',
  'office',
  'service_group',
  'priority',
  'dossier_code',
  'booking',
  'slot',
  'ticket_id',
  'letter',
  'slot_minutes',
  'slot_capacity',
  'procedures',
  'groups',
  'number',
  'sort_order',
  'id',
];

const text = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const formValue = fc.oneof(text, fc.array(text, { maxLength: 4 }));
const jsonValue = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(text, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), text, { maxKeys: 2 }),
);
const formPayload = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 10 })),
  formValue,
  { maxKeys: 10 },
);
const jsonPayload = fc.oneof(
  fc.dictionary(
    fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 10 })),
    jsonValue,
    { maxKeys: 10 },
  ),
  jsonValue,
);

/**
 * What a rejected payload must not write: the business data (not sessions, logins, lookup counts
 * or the audit log). Test-only triggers count every row inserted, updated or deleted in these
 * tables; a rejected payload must leave the count where it was. Stricter than comparing the
 * tables' contents before and after (a write of the same values counts too), and one cheap read
 * instead of eighteen table reads per payload (a third of this file's time).
 */
const BUSINESS_TABLES = [
  'dossiers',
  'dossier_events',
  'dossier_documents',
  'accounts',
  'offices',
  'procedures',
  'procedure_documents',
  'calendar_days',
  'api_tokens', // every column but last_used_at, which each call with a token stamps
  'ratings',
  'code_sequences',
  'tickets',
  'appointments',
  'appointment_slots',
  'service_groups',
  'service_group_procedures',
  'counters',
  'counter_groups',
];

const updateOf = (table: string) =>
  table === 'api_tokens'
    ? 'update of account_id, name, token_hash, created_at, revoked_at, scope, expires_at'
    : 'update';

async function countRowWrites(): Promise<void> {
  const run = (text: string) => rawSql(t.ctx, text);
  await run('create table test_row_writes (n integer not null)');
  await run('insert into test_row_writes (n) values (0)');
  if (t.ctx.engine === 'postgres') {
    await run(
      'create function test_count_row_write() returns trigger language plpgsql as ' +
        '$$ begin update test_row_writes set n = n + 1; return null; end $$',
    );
    for (const table of BUSINESS_TABLES)
      await run(
        `create trigger test_row_write after insert or ${updateOf(table)} or delete on ${table} ` +
          'for each row execute function test_count_row_write()',
      );
  } else {
    for (const table of BUSINESS_TABLES)
      for (const op of ['insert', updateOf(table), 'delete'])
        await run(
          `create trigger test_row_write_${table}_${op.split(' ')[0]} after ${op} on ${table} ` +
            'begin update test_row_writes set n = n + 1; end',
        );
  }
}

/** Rows written to the business tables since countRowWrites(). */
async function rowWrites(): Promise<number> {
  const [row] = await rawSql<{ n: number }>(t.ctx, 'select n from test_row_writes');
  return Number(row!.n);
}

type Sender = (payload: unknown) => request.Test;

function check(name: string, send: Sender, arbitrary: fc.Arbitrary<unknown>) {
  it(`${name}: never 5xx, and a rejected payload changes nothing`, async () => {
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(arbitrary, async (payload) => {
        const before = await rowWrites();
        const res = await send(payload);
        statuses.push(res.status);
        expect(
          res.status,
          `${name} answered ${res.status} to ${JSON.stringify(payload).slice(0, 300)}`,
        ).toBeLessThan(500);
        if (res.status >= 400) expect(await rowWrites()).toBe(before);
      }),
      { numRuns: RUNS },
    );
    // The payloads reached the endpoint's own checks, not just the login or CSRF gate.
    expect(statuses.filter((s) => s === 401 || s === 403).length).toBeLessThan(statuses.length / 2);
  });
}

const form =
  (agent: () => ReturnType<typeof request.agent>, path: string, csrf: () => string): Sender =>
  (payload) =>
    agent()
      .post(path)
      .type('form')
      .send({ ...(payload as object), _csrf: csrf() });
const json =
  (path: string, method: 'post' | 'get' = 'post'): Sender =>
  (payload) =>
    method === 'post'
      ? request(t.app)
          .post(path)
          .set('authorization', `Bearer ${token}`)
          .set('content-type', 'application/json')
          .send(JSON.stringify(payload))
      : request(t.app)
          .get(path)
          .set('authorization', `Bearer ${token}`)
          .query(payload as Record<string, string>);
const query =
  (agent: () => ReturnType<typeof request.agent> | typeof request, path: string): Sender =>
  (payload) =>
    (agent() as ReturnType<typeof request.agent>)
      .get(path)
      .query(payload as Record<string, string>);

describe('malformed input on every form', () => {
  check(
    'POST /dang-nhap',
    form(
      () => anonymous,
      '/dang-nhap',
      () => anonymousCsrf,
    ),
    formPayload,
  );
  check(
    'POST /ho-so (intake)',
    form(
      () => officer,
      '/ho-so',
      () => officerCsrf,
    ),
    formPayload,
  );
  for (const action of [
    'start_processing',
    'request_supplement',
    'receive_supplement',
    'mark_result_ready',
    'return_result',
    'reschedule',
    'refuse',
    'stop',
    'withdraw',
  ]) {
    check(
      `POST /ho-so/:code/hanh-dong/${action}`,
      form(
        () => officer,
        `/ho-so/${code}/hanh-dong/${action}`,
        () => officerCsrf,
      ),
      formPayload,
    );
  }
  check(
    'POST /ho-so/:code/phieu/:kind',
    (p) =>
      officer
        .post(
          `/ho-so/${code}/phieu/${encodeURIComponent(String((p as { kind?: unknown }).kind ?? 'x'))}`,
        )
        .type('form')
        .send({ ...(p as object), _csrf: officerCsrf }),
    formPayload,
  );
  check(
    'POST /tra-cuu/danh-gia',
    form(
      () => officer,
      '/tra-cuu/danh-gia',
      () => officerCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/tai-khoan',
    form(
      () => admin,
      '/quan-tri/tai-khoan',
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/tai-khoan/:id',
    form(
      () => admin,
      `/quan-tri/tai-khoan/${accountId}`,
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/tai-khoan/:id/mat-khau',
    form(
      () => admin,
      `/quan-tri/tai-khoan/${accountId}/mat-khau`,
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/tai-khoan/:id/khoa-api',
    form(
      () => admin,
      `/quan-tri/tai-khoan/${accountId}/khoa-api`,
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/don-vi',
    form(
      () => admin,
      '/quan-tri/don-vi',
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/don-vi/:id',
    form(
      () => admin,
      `/quan-tri/don-vi/${officeId}`,
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/thu-tuc',
    form(
      () => admin,
      '/quan-tri/thu-tuc',
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/thu-tuc/:id',
    form(
      () => admin,
      `/quan-tri/thu-tuc/${procedureId}`,
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/thu-tuc/:id/giay-to',
    form(
      () => admin,
      `/quan-tri/thu-tuc/${procedureId}/giay-to`,
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/lich',
    form(
      () => admin,
      '/quan-tri/lich',
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/xep-hang/nhom',
    form(
      () => admin,
      '/quan-tri/xep-hang/nhom',
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /quan-tri/xep-hang/quay',
    form(
      () => admin,
      '/quan-tri/xep-hang/quay',
      () => adminCsrf,
    ),
    formPayload,
  );
  check(
    'POST /kiosk/:office/lay-so',
    form(
      () => officer,
      '/kiosk/000.00.13.H40/lay-so',
      () => officerCsrf,
    ),
    formPayload,
  );
  check(
    'POST /kiosk/:office/xac-nhan',
    form(
      () => officer,
      '/kiosk/000.00.13.H40/xac-nhan',
      () => officerCsrf,
    ),
    formPayload,
  );
  check(
    'POST /dat-lich',
    form(
      () => anonymous,
      '/dat-lich',
      () => anonymousCsrf,
    ),
    formPayload,
  );
});

describe('malformed query strings on every page that reads one', () => {
  for (const path of ['/ho-so', '/ho-so/moi', '/ho-so/hom-nay'])
    check(
      `GET ${path}`,
      query(() => officer, path),
      formPayload,
    );
  for (const path of [
    '/bao-cao',
    '/bao-cao/xuat/tong-hop.csv',
    '/bao-cao/xuat/so-theo-doi.xlsx',
    '/quan-tri/lich',
    '/quan-tri/nhat-ky',
  ])
    check(
      `GET ${path}`,
      query(() => admin, path),
      formPayload,
    );
  check(
    'GET /tra-cuu',
    query(() => request(t.app) as never, '/tra-cuu'),
    formPayload,
  );
  check(
    'GET /dat-lich',
    query(() => request(t.app) as never, '/dat-lich'),
    formPayload,
  );
  for (const path of ['/bao-cao/xep-hang', '/quan-tri/xep-hang'])
    check(
      `GET ${path}`,
      query(() => admin, path),
      formPayload,
    );
  check(
    'GET /ho-so/moi (from a ticket)',
    query(() => officer, '/ho-so/moi'),
    fc.record({
      so: fc.oneof(fc.constantFrom('1', '999999', '0', '-1', 'x'), text),
      'thu-tuc': fc.constantFrom('2.000200', 'x'),
    }),
  );
});

describe('malformed JSON on every API endpoint', () => {
  check('POST /api/v1/dossiers', json('/api/v1/dossiers'), jsonPayload);
  for (const action of [
    'start_processing',
    'request_supplement',
    'return_result',
    'reschedule',
    'withdraw',
  ]) {
    check(
      `POST /api/v1/dossiers/:code/actions/${action}`,
      json(`/api/v1/dossiers/${code}/actions/${action}`),
      jsonPayload,
    );
  }
  check('GET /api/v1/dossiers', json('/api/v1/dossiers', 'get'), formPayload);
  check(
    'GET /api/v1/lookup',
    (p) =>
      request(t.app)
        .get('/api/v1/lookup')
        .query(p as Record<string, string>),
    formPayload,
  );
  check('GET /api/v1/board', json('/api/v1/board', 'get'), formPayload);
  check('POST /api/v1/applicants/lookup', json('/api/v1/applicants/lookup'), jsonPayload);
  check('POST /api/v1/queue/tickets', json('/api/v1/queue/tickets'), jsonPayload);
  check('POST /api/v1/queue/check-in', json('/api/v1/queue/check-in'), jsonPayload);
  check(
    'POST /api/v1/queue/tickets/:id/transfer',
    (p) => json(`/api/v1/queue/tickets/${ticketId}/transfer`)(p),
    jsonPayload,
  );
});

describe('the row-write counter these checks rely on', () => {
  it('counts a write, even of the same values', async () => {
    const before = await rowWrites();
    await rawSql(t.ctx, `update offices set name = name where id = ${officeId}`);
    await rawSql(t.ctx, `update counters set number = number`);
    const counters = await rawSql(t.ctx, 'select id from counters');
    expect(await rowWrites()).toBe(before + 1 + counters.length);
  });
});

describe('bytes that are not text', () => {
  const bodies = [
    Buffer.from([0x61, 0x3d, 0xff, 0xfe, 0xfd]),
    Buffer.from('applicant_name=%FF%FE%C0%AF&personal_id=%E0%80%80'),
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    Buffer.alloc(150_000, 0x41),
  ];
  it('answer 4xx to invalid UTF-8, broken JSON and oversized bodies, and change nothing', async () => {
    for (const body of bodies) {
      const before = await rowWrites();
      const formRes = await officer
        .post('/ho-so')
        .set('content-type', 'application/x-www-form-urlencoded')
        .set('x-csrf-token', officerCsrf)
        .send(body);
      expect(formRes.status).toBeGreaterThanOrEqual(400);
      expect(formRes.status).toBeLessThan(500);
      const jsonRes = await request(t.app)
        .post('/api/v1/dossiers')
        .set('authorization', `Bearer ${token}`)
        .set('content-type', 'application/json')
        .send(body);
      expect(jsonRes.status).toBeGreaterThanOrEqual(400);
      expect(jsonRes.status).toBeLessThan(500);
      expect(await rowWrites()).toBe(before);
    }
  });
});

describe('NUL and other control characters in what reaches a query (PostgreSQL refuses NUL in text)', () => {
  it('a search or a lookup carrying NUL is answered, never with a 500 (was: 500 on PostgreSQL)', async () => {
    const search = await request(t.app)
      .get('/api/v1/dossiers')
      .set('authorization', `Bearer ${token}`)
      .query({ q: 'a\u0000b' });
    expect(search.status).toBe(200);
    const page = await officer.get('/ho-so').query({ q: 'Nguy\u0000ễn' });
    expect(page.status).toBe(200);
    for (const query of [
      { ma: '\u0000', khoa: 'ABCD2345' },
      { ma: `${code}\u0000`, khoa: 'ABCD2345' },
      { '': ['\u0000'] },
    ]) {
      const res = await request(t.app).get('/tra-cuu').query(query);
      expect(res.status, JSON.stringify(query)).toBeLessThan(500);
    }
    const api = await request(t.app)
      .get('/api/v1/lookup')
      .query({ code: `${code}\u0000`, key: 'ABCD\u00002345' });
    expect(api.status).toBeLessThan(500);
  });
});
