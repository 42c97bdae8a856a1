import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireLogin } from '../http/auth.js';
import { vi } from '../locale/vi.js';
import {
  filterItems,
  WORKLIST_FILTERS,
  WORKLIST_SECTIONS,
  worklistFor,
  type WorkItem,
  type WorklistFilter,
  type WorklistSection,
} from './handover/index.js';

function presentItem(i: WorkItem) {
  return {
    dossier: {
      id: i.dossier_id,
      code: i.code,
      procedure: i.procedure_name,
      applicant: i.applicant_name,
      status: i.status,
      version: i.version,
      due_at: i.dossier_due_at,
    },
    step: {
      kind: i.kind,
      unit: i.unit_id ? { id: i.unit_id, name: i.unit_name } : null,
      holder: i.holder_account_id ? { account_id: i.holder_account_id, name: i.holder_name } : null,
      since: i.started_at,
      due_at: i.due_at,
      at_risk_from: i.risk_at,
    },
    alert: i.alert,
    due_today: i.dueToday,
  };
}

/** "Hồ sơ của tôi" (`/viec-cua-toi`) and `GET /api/v1/worklist`. */
export function worklistRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/viec-cua-toi', requireLogin, async (req, res) => {
    const list = await worklistFor(ctx, req.account!);
    const section = (WORKLIST_SECTIONS as readonly string[]).includes(String(req.query.muc))
      ? (String(req.query.muc) as WorklistSection)
      : (list.shown.find((s) => list.counts[s] > 0) ?? 'mine');
    const filter = (WORKLIST_FILTERS as readonly string[]).includes(String(req.query.loc))
      ? (String(req.query.loc) as WorklistFilter)
      : 'all';
    res.render('dossiers/worklist', {
      title: vi.handover.worklist.title,
      ...list,
      section,
      filter,
      items: filterItems(list.sections[section], filter),
    });
  });
  router.get('/api/v1/worklist', requireLogin, async (req, res) => {
    const list = await worklistFor(ctx, req.account!);
    res.json({
      as_of: list.now.toISOString(),
      sections: Object.fromEntries(list.shown.map((s) => [s, list.sections[s].map(presentItem)])),
      counts: Object.fromEntries(
        list.shown.map((s) => [
          s,
          {
            total: list.sections[s].length,
            overdue: list.sections[s].filter((i) => i.alert === 'overdue').length,
            at_risk: list.sections[s].filter((i) => i.alert === 'at_risk').length,
            due_today: list.sections[s].filter((i) => i.dueToday).length,
          },
        ]),
      ),
    });
  });
  return router;
}
