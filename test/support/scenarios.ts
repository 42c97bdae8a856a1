import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { performDossierAction } from '../../src/dossiers/workflow/workflow.service.js';
import { rateDossier } from '../../src/lookup/lookup.service.js';
import { accountNamed, createOfficerAt, documentIds, validIntake } from './factories.js';
import type { TestApp } from './test-app.js';

type Officer = Awaited<ReturnType<typeof accountNamed>>;

async function intake(
  t: TestApp,
  officer: Officer,
  at: string,
  procedure: string,
  overrides: Record<string, unknown> = {},
) {
  t.clock.set(at);
  const r = await receiveDossier(
    t.ctx,
    officer,
    await validIntake(t.ctx, {
      procedure_code: procedure,
      documents: await documentIds(t.ctx, procedure),
      ...overrides,
    }),
  );
  return r;
}
async function act(
  t: TestApp,
  officer: Officer,
  code: string,
  at: string,
  action: string,
  fields: Record<string, string> = {},
) {
  t.clock.set(at);
  const { version } = await t.ctx.db
    .selectFrom('dossiers')
    .select('version')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  await performDossierAction(t.ctx, officer, code, action as never, {
    version: String(version),
    ...fields,
  });
}

/** A week of work across two offices, procedures, outcomes and a day boundary at 17:00 UTC. */
export async function seedReportWeek(t: TestApp): Promise<void> {
  await createOfficerAt(t.ctx, '000.12.13.H40', 'canbo_hoahau');
  const district = await accountNamed(t.ctx, 'canbo');
  const commune = await accountNamed(t.ctx, 'canbo_hoahau');
  const CC = '2.000200';
  const TT = '1.004194';
  const d1 = await intake(t, district, '2026-03-06T03:00:00Z', CC); // Fri before: carried over
  const d2 = await intake(t, district, '2026-03-09T16:59:59Z', TT); // 23:59:59 Mon 9 local: in period
  await intake(t, district, '2026-03-13T17:00:00Z', TT); // 00:00 Sat 14 local: after the period
  await intake(t, district, '2026-03-08T16:59:00Z', '1.004222'); // 23:59 Sun 8 local: carried over
  const d5 = await intake(t, commune, '2026-03-09T03:00:00Z', TT);
  const d6 = await intake(t, commune, '2026-03-10T03:00:00Z', CC);
  await intake(t, district, '2026-03-11T03:00:00Z', '1.004222', {
    outcome: 'guide',
    documents: [],
  });
  const d8 = await intake(t, district, '2026-03-10T04:00:00Z', TT);
  const d9 = await intake(t, district, '2026-02-20T03:00:00Z', CC);
  const d10 = await intake(t, district, '2026-03-02T03:00:00Z', TT);
  const d11 = await intake(t, commune, '2026-03-11T04:00:00Z', TT);

  await act(t, district, d1.code!, '2026-03-10T03:00:00Z', 'mark_result_ready');
  await act(t, district, d2.code!, '2026-03-12T03:00:00Z', 'mark_result_ready');
  await act(t, commune, d6.code!, '2026-03-11T03:00:00Z', 'refuse', {
    reason: 'Không thuộc thẩm quyền của đơn vị.',
  });
  await act(t, district, d8.code!, '2026-03-11T03:00:00Z', 'request_supplement', {
    supplement_what: 'Hợp đồng thuê nhà',
    reason: 'Hợp đồng thiếu chữ ký.',
  });
  await act(t, district, d9.code!, '2026-03-05T03:00:00Z', 'mark_result_ready');
  await act(t, district, d10.code!, '2026-03-10T03:00:00Z', 'mark_result_ready');
  await act(t, commune, d11.code!, '2026-03-12T03:00:00Z', 'withdraw', {
    reason: 'Công dân rút hồ sơ để bổ sung sau.',
  });
  await act(t, district, d1.code!, '2026-03-12T02:00:00Z', 'return_result', {
    returned_to: 'Nguyễn Văn An',
  });
  t.clock.set('2026-03-12T02:30:00Z');
  await rateDossier(t.ctx, d1.code!, d1.lookupKey!, 'satisfied', '');
  void d5;
  t.clock.set('2026-03-20T02:00:00Z'); // the supervisor looks a week later
}
