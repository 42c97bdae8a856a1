import type { Tx } from '../../db/database.js';
import type { RegisteredFormKind } from '../../db/schema.js';
import { localDateOf } from '../../lib/vietnam-time.js';
import { insertDossierForm, nextFormNumber } from './registers.repository.js';

/**
 * Issues a numbered form in the transaction of the action that produces it: the next number of
 * the office's register for the local year, never a database id, so the numbers of a register
 * run 1, 2, 3… without gaps or another office's numbers in between.
 */
export async function issueForm(
  tx: Tx,
  form: {
    dossierId: number;
    officeId: number;
    kind: RegisteredFormKind;
    at: Date;
    by: { id: number; fullName: string };
  },
): Promise<number> {
  const year = Number(localDateOf(form.at).slice(0, 4));
  const number = await nextFormNumber(tx, form.officeId, form.kind, year);
  await insertDossierForm(tx, {
    dossier_id: form.dossierId,
    office_id: form.officeId,
    kind: form.kind,
    year,
    number,
    issued_at: form.at.toISOString(),
    issued_by: form.by.id,
    signer_name: form.by.fullName,
  });
  return number;
}
