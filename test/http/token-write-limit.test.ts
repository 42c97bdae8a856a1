import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashApiToken, issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, TEST_ENGINE, type TestApp } from '../support/test-app.js';

/**
 * A token's write is limited per token (http/write-limit.ts). With the windows in the database
 * (PostgreSQL, or SHARED_STATE=database) the hit is counted in the statement that reads the
 * token's account: one round trip instead of two. What goes to PostgreSQL is seen by
 * node-postgres's own query().
 */
const sent: string[] = [];
let t: TestApp;
let token: string;

beforeAll(async () => {
  if (TEST_ENGINE === 'postgres') {
    const query = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
      this: pg.Client,
      ...args: unknown[]
    ) {
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string })?.text;
      if (text) sent.push(text);
      return (query as (...a: unknown[]) => unknown).apply(this, args) as never;
    });
  }
  t = await createTestApp({ env: { SHARED_STATE: 'database', WRITE_RATE_LIMIT_PER_MIN: '4' } });
  token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'script', null);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.close();
});
beforeEach(() => {
  sent.length = 0;
});

const post = (body: object, bearer = token) =>
  request(t.app).post('/api/v1/dossiers').set('authorization', `Bearer ${bearer}`).send(body);

describe('a token’s writes against the write limit, windows in the database', () => {
  it('counts each write once, answers the window in its headers, and refuses past the limit', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post(i === 0 ? await validIntake(t.ctx) : {});
      expect(res.status).toBe(i === 0 ? 201 : 422);
      remaining.push(/r=(\d+)/.exec(res.get('ratelimit') ?? '')?.[1] ?? '');
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    const refused = await post({});
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_requests');
    t.clock.advanceMinutes(2);
    expect((await post({})).status).toBe(422);
  });

  it('reads nothing but the token for a read, and does not count it', async () => {
    const res = await request(t.app)
      .get('/api/v1/procedures')
      .set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.get('ratelimit')).toBeUndefined();
  });

  it('still refuses a revoked token at once, and an unknown one', async () => {
    const other = await issueApiToken(
      t.ctx,
      (await accountNamed(t.ctx, 'canbo')).id,
      'short-lived',
      null,
    );
    t.clock.advanceMinutes(2);
    expect((await post({}, other)).status).toBe(422);
    await t.ctx.db
      .updateTable('api_tokens')
      .set({ revoked_at: t.clock.now().toISOString() })
      .where('token_hash', '=', hashApiToken(other))
      .execute();
    expect((await post({}, other)).status).toBe(401);
    expect((await post({}, 'not-a-token')).status).toBe(401);
  });

  it.skipIf(TEST_ENGINE !== 'postgres')(
    'reads the token’s account and counts the write in one statement (PostgreSQL)',
    async () => {
      t.clock.advanceMinutes(2);
      expect((await post({})).status).toBe(422);
      const limits = sent.filter((text) => text.includes('"rate_limit_windows"'));
      expect(limits).toHaveLength(1);
      expect(limits[0]).toContain('"api_tokens"');
      // Nothing else reads the token (its "last used" is written once a minute, apart).
      const reads = sent.filter((text) => text.includes('"api_tokens"') && !/^update/.test(text));
      expect(reads).toEqual(limits);
    },
  );
});
