import type { DossierRow } from '../../db/schema.js';

/**
 * What a correction of an intake changes: each field's value before and after, as the event
 * records them (docs/DECISIONS.md "Correcting an intake"). Pure: the service gives the stored row
 * and papers, and the checked form.
 */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** The columns an intake correction may change, besides the procedure and the papers. */
export const CORRECTABLE_COLUMNS = [
  'applicant_name',
  'personal_id',
  'birth_date',
  'sex',
  'phone',
  'email',
  'address',
  'vehicle_kind',
  'vehicle_id',
  'vehicle_frame_no',
  'vehicle_engine_no',
  'vehicle_brand',
  'vehicle_colour',
] as const;
export type CorrectableColumn = (typeof CORRECTABLE_COLUMNS)[number];

export interface CorrectionSide {
  procedure: { code: string; name: string };
  columns: Record<CorrectableColumn, string | null>;
  /** The names of the papers received, in checklist order. */
  papers: string[];
}

/** The correctable values of a stored dossier. */
export function sideOfRow(
  row: Pick<DossierRow, 'procedure_code' | 'procedure_name' | CorrectableColumn>,
  papers: string[],
): CorrectionSide {
  const columns = {} as Record<CorrectableColumn, string | null>;
  for (const c of CORRECTABLE_COLUMNS) columns[c] = row[c] ?? null;
  return { procedure: { code: row.procedure_code, name: row.procedure_name }, columns, papers };
}

/** Every field whose value differs, the procedure first and the papers last. */
export function intakeChanges(before: CorrectionSide, after: CorrectionSide): FieldChange[] {
  const changes: FieldChange[] = [];
  if (before.procedure.code !== after.procedure.code)
    changes.push({
      field: 'procedure',
      before: `${before.procedure.name} (${before.procedure.code})`,
      after: `${after.procedure.name} (${after.procedure.code})`,
    });
  for (const c of CORRECTABLE_COLUMNS) {
    const was = before.columns[c] || null;
    const now = after.columns[c] || null;
    if (was !== now) changes.push({ field: c, before: was, after: now });
  }
  const was = before.papers.join('; ');
  const now = after.papers.join('; ');
  if (was !== now) changes.push({ field: 'documents', before: was, after: now });
  return changes;
}
