import type { Deps } from '../context.js';
import type { CurrentAccount } from '../current-account.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { localDateOf } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { failedCount } from '../notifications/admin.service.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { findOpenSteps, findOpenStepsOfDossiers, holderLabelOf } from './handover/index.js';
import { findBoardLists } from './record/index.js';

/** The counter's board for an office the account may see (its own by default). */
export async function getBoard(
  ctx: Deps<'db' | 'clock' | 'masterData' | 'dossierExtensions'>,
  account: CurrentAccount,
  officeId = account.officeId,
) {
  const offices = await accessibleOfficeIds(ctx, account);
  if (!offices.includes(officeId)) throw new ForbiddenError(vi.dossiers.errors.notYourOffice);
  const all = await ctx.masterData.offices();
  const office = all.find((o) => o.id === officeId);
  if (!office) throw new NotFoundError();
  const now = ctx.clock.now();
  const today = localDateOf(now);
  const choices = offices.length > 1 ? all.filter((o) => offices.includes(o.id)) : [];
  const nowIso = now.toISOString();
  // Late and at-risk steps after the counter: escalated to the office's supervisor here.
  const [lateSteps, riskySteps] = await Promise.all([
    findOpenSteps(ctx.db, { officeIds: [officeId], overdueAt: nowIso }),
    findOpenSteps(ctx.db, { officeIds: [officeId], atRiskAt: nowIso }),
  ]);
  const steps = {
    overdue: lateSteps.map((r) => ({ ...r, holderLabel: holderLabelOf(r) })),
    atRisk: riskySteps.length,
  };
  const [lists, failedMessages] = await Promise.all([
    findBoardLists(ctx.db, officeId, today, nowIso),
    failedCount(ctx, account),
  ]);
  // What features above the dossiers count on the board (the online inbox).
  const extraBlocks = await ctx.dossierExtensions.boardBlocks(officeId);
  // Who holds each listed dossier now (null: no open step, e.g. imported history).
  const ids = [...new Set(Object.values(lists).flatMap((l) => l.rows.map((r) => r.id)))];
  const holders = new Map(
    (await findOpenStepsOfDossiers(ctx.db, ids)).map((s) => [s.dossier_id, holderLabelOf(s)]),
  );
  // The holder is set on the rows as read (a copy of 250 rows with one more key was 3 % of the
  // page's CPU).
  type WithHolder<R> = R & { holder: string | null };
  for (const list of Object.values(lists))
    for (const row of list.rows)
      (row as WithHolder<typeof row>).holder = holders.get(row.id) ?? null;
  const withHolders = lists as {
    [K in keyof typeof lists]: {
      total: number;
      rows: WithHolder<(typeof lists)[K]['rows'][number]>[];
    };
  };
  return {
    office,
    offices: choices,
    today,
    now,
    lists: withHolders,
    steps,
    failedMessages,
    extraBlocks,
  };
}
