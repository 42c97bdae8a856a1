import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

/** The printable tracking book (Mẫu 07): an office's receipts of a period, in receipt order. */
export async function findBookRows(
  db: Db,
  officeId: number,
  startIso: string,
  endIso: string,
  limit: number,
) {
  const rows = await db
    .selectFrom('dossiers')
    .select([
      'id',
      'code',
      'procedure_name',
      'applicant_name',
      'address',
      'phone',
      'received_at',
      'due_at',
      'rescheduled_due_at',
      'result_at',
      'returned_at',
      'returned_to',
      'closed_at',
      'status',
      'vehicle_kind',
      'vehicle_id',
      'note',
      'intake_corrected_at',
    ])
    .where('office_id', '=', officeId)
    .where('intake_outcome', '=', 'accepted')
    .where('received_at', '>=', startIso)
    .where('received_at', '<', endIso)
    .orderBy('received_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  // When and to whom each was handed for processing (chuyển cơ quan giải quyết): its first processing step.
  const ids = rows.map((r) => r.id);
  const transfers = ids.length
    ? await db
        .selectFrom('dossier_steps')
        .leftJoin('processing_units', 'processing_units.id', 'dossier_steps.unit_id')
        .select([
          'dossier_steps.dossier_id',
          'dossier_steps.started_at',
          'processing_units.name as unit_name',
        ])
        .where('dossier_steps.dossier_id', 'in', ids)
        .where('dossier_steps.kind', '=', 'processing')
        .orderBy('dossier_steps.position')
        .execute()
    : [];
  const first = new Map<number, { at: string; unit: string | null }>();
  for (const t of transfers)
    if (!first.has(t.dossier_id)) first.set(t.dossier_id, { at: t.started_at, unit: t.unit_name });
  return rows.map((r) => ({ ...r, transfer: first.get(r.id) ?? null }));
}

export async function countBookRows(
  db: Db,
  officeId: number,
  startIso: string,
  endIso: string,
): Promise<number> {
  const row = await db
    .selectFrom('dossiers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('office_id', '=', officeId)
    .where('intake_outcome', '=', 'accepted')
    .where('received_at', '>=', startIso)
    .where('received_at', '<', endIso)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
