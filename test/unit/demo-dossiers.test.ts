import { afterEach, beforeEach, expect, it } from 'vitest';
import { seedDemoDossiers } from '../../seeds/demo-dossiers.js';
import { accountNamed } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

it('files two weeks of demo dossiers through the services, none in the future', async () => {
  const officer = await accountNamed(t.ctx, 'canbo');
  const count = await seedDemoDossiers(t.ctx, officer.id, '2026-11-20');
  expect(count).toBeGreaterThan(30);
  const rows = await t.ctx.db
    .selectFrom('dossiers')
    .select(['code', 'received_at', 'status'])
    .execute();
  expect(rows).toHaveLength(count);
  expect(new Set(rows.map((r) => r.code)).size).toBe(count);
  expect(rows.every((r) => r.received_at <= new Date().toISOString())).toBe(true);
  expect(new Set(rows.map((r) => r.status)).size).toBeGreaterThan(2);
});
