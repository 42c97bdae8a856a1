import type { Db } from '../db/database.js';
import { findAuditEventsAfter, findDossierEventsAfter } from './audit.repository.js';
import { auditEventHash, dossierEventHash } from './event-hash.js';

export interface BrokenLink {
  table: 'dossier_events' | 'audit_events';
  id: number;
  dossierId?: number;
  reason: 'content_changed' | 'chain_broken';
}

const PAGE = 5000;

/** Walks both chains and returns the first broken link of each (empty when all is intact). */
export async function verifyChains(
  db: Db,
): Promise<{ broken: BrokenLink[]; checked: { dossierEvents: number; auditEvents: number } }> {
  const broken: BrokenLink[] = [];
  const lastByDossier = new Map<number, string>();
  const brokenDossiers = new Set<number>();
  let dossierEvents = 0;
  for (let after = 0; ;) {
    const rows = await findDossierEventsAfter(db, after, PAGE);
    for (const e of rows) {
      dossierEvents++;
      if (brokenDossiers.has(e.dossier_id)) continue;
      const expectedPrev = lastByDossier.get(e.dossier_id) ?? '';
      if (e.prev_hash !== expectedPrev) {
        broken.push({
          table: 'dossier_events',
          id: e.id,
          dossierId: e.dossier_id,
          reason: 'chain_broken',
        });
        brokenDossiers.add(e.dossier_id);
      } else if (dossierEventHash(e, e.prev_hash) !== e.hash) {
        broken.push({
          table: 'dossier_events',
          id: e.id,
          dossierId: e.dossier_id,
          reason: 'content_changed',
        });
        brokenDossiers.add(e.dossier_id);
      }
      lastByDossier.set(e.dossier_id, e.hash);
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  let auditEvents = 0;
  let prev = '';
  let auditBroken = false;
  for (let after = 0; ;) {
    const rows = await findAuditEventsAfter(db, after, PAGE);
    for (const e of rows) {
      auditEvents++;
      if (!auditBroken && e.prev_hash !== prev) {
        broken.push({ table: 'audit_events', id: e.id, reason: 'chain_broken' });
        auditBroken = true;
      } else if (!auditBroken && auditEventHash(e, e.prev_hash) !== e.hash) {
        broken.push({ table: 'audit_events', id: e.id, reason: 'content_changed' });
        auditBroken = true;
      }
      prev = e.hash;
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  return { broken, checked: { dossierEvents, auditEvents } };
}
