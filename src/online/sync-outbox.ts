import type { Tx } from '../db/database.js';
import type { DossierChange } from '../dossiers/index.js';
import { vi } from '../locale/vi.js';
import type { OnlineDossierRow } from './online.repository.js';
import { findOnlineByIntakeToken } from './online.repository.js';
import {
  FEE_PAID,
  nationalStatusOf,
  nationalStatusOfDossier,
  portalProgress,
  portalRecord,
  type PortalFacts,
} from './portal-status.js';
import {
  appendRow,
  dossierFactsOf,
  findStream,
  insertStreamWithFirstRow,
  linkStreamToDossier,
  officeNameOf,
  paidFeesOf,
  type SyncStreamRow,
} from './sync.repository.js';

/**
 * The portal's outbox (docs/ARCHITECTURE.md "Online"): every change the national portal must
 * know writes a row in the change's own transaction, numbered in its dossier's stream, so a
 * change and its row commit or roll back together. The sender delivers them later, in order.
 */

/** A stream to create with the change about to be appended, its first (numbered 1). */
interface NewStream {
  create: { officeId: number; maHoSo: string; dossierId: number | null; onlineId: number | null };
}

async function append(
  tx: Tx,
  stream: SyncStreamRow | NewStream,
  facts: PortalFacts,
  change: { action: string; at: string; actorName: string | null },
  status = nationalStatusOf(change.action),
): Promise<void> {
  if (!status) return;
  const label =
    vi.online.portalChange[change.action] ?? vi.dossiers.action[change.action] ?? change.action;
  const row = {
    change: change.action,
    national_status: status,
    record: JSON.stringify(portalRecord(facts, status)),
    progress: JSON.stringify(
      portalProgress(facts, {
        at: change.at,
        actorName: change.actorName ?? vi.online.portalActor,
        label,
        status,
      }),
    ),
    created_at: change.at,
  };
  if ('create' in stream)
    await insertStreamWithFirstRow(tx, { ...stream.create, at: change.at }, row);
  else await appendRow(tx, stream, row, change.at);
}

/**
 * A change of a dossier (the dossier feature's hook, in its transaction). A dossier accepted from
 * the online inbox keeps the portal's code and the stream its inbox entry began.
 */
export async function recordDossierChange(tx: Tx, change: DossierChange): Promise<void> {
  if (!nationalStatusOf(change.action) && change.action !== FEE_PAID) return;
  const d = change.after
    ? { ...change.after.dossier, office_name: change.after.officeName }
    : await dossierFactsOf(tx, change.dossierId);
  if (!d?.code) return; // guided or refused at the counter: never a dossier of the portal's
  // A payment reports the status the dossier has; the other changes the status they make.
  const status = nationalStatusOf(change.action) ?? nationalStatusOfDossier(d.status);
  if (!status) return;
  // The dossier's intake, in the transaction that inserted it: it has no stream of its own yet
  // and no payment (a payment is of a dossier that exists). Two reads fewer on every intake.
  const isIntake = change.action === 'received' && change.from === null;
  let stream: SyncStreamRow | NewStream | undefined = isIntake
    ? undefined
    : await findStream(tx, { dossierId: d.id });
  const online = d.form_token ? await findOnlineByIntakeToken(tx, d.form_token) : undefined;
  if (!stream) {
    const begun = online ? await findStream(tx, { onlineId: online.id }) : undefined;
    if (begun) await linkStreamToDossier(tx, begun.id, d.id);
    stream = (begun && { ...begun, dossier_id: d.id }) ?? {
      create: {
        officeId: d.office_id,
        maHoSo: online?.portal_code ?? d.code,
        dossierId: d.id,
        onlineId: online?.id ?? null,
      },
    };
  }
  await append(
    tx,
    stream,
    {
      maHoSo: 'create' in stream ? stream.create.maHoSo : stream.ma_ho_so,
      procedureCode: d.procedure_code,
      procedureName: d.procedure_name,
      receivingChannel: d.receiving_channel,
      returnChannel: d.return_channel,
      applicantName: d.applicant_name,
      personalId: d.personal_id,
      phone: d.phone,
      officeName: d.office_name,
      submittedAt: online?.submitted_at ?? null,
      receivedAt: d.received_at,
      dueAt: d.rescheduled_due_at ?? d.due_at,
      resultAt: d.result_at,
      returnedAt: d.returned_at,
      refusedAt: null,
      refusalReason: d.refusal_reason,
      paidFees: isIntake ? [] : await paidFeesOf(tx, d.id),
    },
    { action: change.action, at: change.at, actorName: change.actor?.fullName ?? null },
    status,
  );
}

/** A decision on an online entry before it is a dossier (a supplement asked, a refusal). */
export async function recordOnlineChange(
  tx: Tx,
  entry: OnlineDossierRow,
  change: { action: 'online_supplement' | 'online_refused'; at: string; actorName: string },
): Promise<void> {
  const stream = (await findStream(tx, { onlineId: entry.id })) ?? {
    create: {
      officeId: entry.office_id,
      maHoSo: entry.portal_code,
      dossierId: null,
      onlineId: entry.id,
    },
  };
  await append(
    tx,
    stream,
    {
      maHoSo: entry.portal_code,
      procedureCode: entry.procedure_code,
      procedureName: entry.procedure_name,
      receivingChannel: 'online',
      returnChannel: entry.return_channel,
      applicantName: entry.applicant_name,
      personalId: entry.personal_id,
      phone: entry.phone,
      officeName: await officeNameOf(tx, entry.office_id),
      submittedAt: entry.submitted_at,
      receivedAt: null,
      dueAt: null,
      resultAt: null,
      returnedAt: null,
      refusedAt: change.action === 'online_refused' ? change.at : null,
      refusalReason: change.action === 'online_refused' ? entry.reason : null,
    },
    change,
  );
}
