import type { Deps } from '../../context.js';
import type { CurrentAccount } from '../../current-account.js';
import { localDateOf } from '../../lib/vietnam-time.js';
import { accessibleOfficeIds } from '../../office-scope.js';
import { membershipsOf } from '../../units/units.service.js';
import { stepAlert, type StepAlert } from './step-timing.js';
import { findOpenSteps, type OpenStepRow } from './steps.repository.js';
import { holderLabelOf } from './steps-view.service.js';

export const WORKLIST_SECTIONS = ['mine', 'queue', 'approvals', 'counter', 'escalated'] as const;
export type WorklistSection = (typeof WORKLIST_SECTIONS)[number];
export const WORKLIST_FILTERS = ['all', 'today', 'overdue', 'risk'] as const;
export type WorklistFilter = (typeof WORKLIST_FILTERS)[number];

export interface WorkItem extends OpenStepRow {
  alert: StepAlert;
  dueToday: boolean;
  holderLabel: string;
}

/**
 * The caller's worklists: what they hold; the queues of their units (nobody holds those yet);
 * what waits for their approval; what came back to the counter; and, for a unit's leader or a
 * supervisor, the steps already late (escalated to them). Each item says whether it is overdue,
 * at risk (75 % of its time used) or due today. Features above the dossiers add their own late
 * work to the escalated list through the extension port (the online checks past their deadline).
 */
export async function worklistFor(
  ctx: Deps<'clock' | 'db' | 'masterData' | 'dossierExtensions'>,
  account: CurrentAccount,
) {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const today = localDateOf(now);
  const [offices, memberships] = await Promise.all([
    accessibleOfficeIds(ctx, account),
    membershipsOf(ctx, account.id),
  ]);
  const own = [account.officeId];
  const memberUnits = memberships.map((m) => m.unit_id);
  const approverUnits = memberships.filter((m) => m.role === 'approver').map((m) => m.unit_id);
  const leader = account.role !== 'officer';
  const [extraBlocks, mine, queue, approvals, counter, escalated] = await Promise.all([
    ctx.dossierExtensions.worklistBlocks(account),
    findOpenSteps(ctx.db, { officeIds: offices, heldBy: account.id }),
    memberUnits.length
      ? findOpenSteps(ctx.db, {
          officeIds: offices,
          unitIds: memberUnits,
          unheld: true,
          kinds: ['processing'],
        })
      : [],
    approverUnits.length || leader
      ? findOpenSteps(ctx.db, {
          officeIds: leader ? offices : own,
          kinds: ['approval'],
          ...(leader ? {} : { unitIds: approverUnits }),
        })
      : [],
    findOpenSteps(ctx.db, {
      officeIds: own,
      unitIds: [null],
      unheld: true,
      kinds: ['reception', 'result', 'return'],
    }),
    approverUnits.length || leader
      ? findOpenSteps(ctx.db, {
          officeIds: leader ? offices : own,
          overdueAt: nowIso,
          ...(leader ? {} : { unitIds: approverUnits }),
        })
      : [],
  ]);
  const present = (rows: OpenStepRow[]): WorkItem[] =>
    rows.map((r) => ({
      ...r,
      alert: stepAlert({ ...r, finished_at: null }, nowIso),
      dueToday: !!r.due_at && localDateOf(new Date(r.due_at)) === today,
      holderLabel: holderLabelOf(r),
    }));
  const sections: Record<WorklistSection, WorkItem[]> = {
    mine: present(mine),
    queue: present(queue),
    approvals: present(approvals),
    counter: present(counter),
    escalated: present(escalated),
  };
  const extraItems = extraBlocks.reduce((n, b) => n + b.items, 0);
  const counts = Object.fromEntries(
    WORKLIST_SECTIONS.map((s) => [s, sections[s].length + (s === 'escalated' ? extraItems : 0)]),
  ) as Record<WorklistSection, number>;
  const shown = WORKLIST_SECTIONS.filter(
    (s) =>
      s === 'mine' ||
      counts[s] > 0 ||
      (s === 'queue' && memberUnits.length > 0) ||
      (s === 'approvals' && approverUnits.length > 0) ||
      (s === 'escalated' && (leader || approverUnits.length > 0)),
  );
  return { now, today, sections, shown, counts, extraBlocks };
}

export function filterItems(items: WorkItem[], filter: WorklistFilter): WorkItem[] {
  if (filter === 'today') return items.filter((i) => i.dueToday);
  if (filter === 'overdue') return items.filter((i) => i.alert === 'overdue');
  if (filter === 'risk') return items.filter((i) => i.alert === 'at_risk');
  return items;
}
