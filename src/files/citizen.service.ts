import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.js';
import { recordCitizenAccess } from '../audit/audit.service.js';
import { RESULT } from './file-access.js';
import { findCurrentFiles, findDossierForResult } from './files.repository.js';
import { openStored, type FileContent } from './content.service.js';

/**
 * The electronic result for the citizen (kết quả điện tử): once the dossier has its result, the
 * citizen who holds the receipt (code and key, checked by the lookup feature) and knows one more
 * fact (the last four digits of the applicant's ID number) downloads it. Every download is an
 * event of the personal-data access log, without an account.
 */
/** For the citizen's lookup, which reads the count with the dossier (see files.repository.ts). */
export { resultFilesOfDossier } from './files.repository.js';

export type CitizenResult =
  { kind: 'file'; content: FileContent } | { kind: 'wrong_fact' } | { kind: 'none' };

export async function citizenResultFile(
  ctx: AppContext,
  dossierId: number,
  lastDigits: string,
  position: number,
): Promise<CitizenResult> {
  const dossier = await findDossierForResult(ctx.db, dossierId);
  if (!dossier || dossier.anonymised_at || !['result_ready', 'returned'].includes(dossier.status))
    return { kind: 'none' };
  const expected = (dossier.personal_id ?? '').slice(-4);
  if (!/^\d{4}$/.test(expected) || !sameDigits(expected, lastDigits)) return { kind: 'wrong_fact' };
  const files = (await findCurrentFiles(ctx.db, dossier.id, RESULT)).filter(
    (f) => f.state === 'digitised' && f.sha256 && !f.deleted_at,
  );
  const file =
    files.find((f) => f.position === position) ?? (position === 0 ? files[0] : undefined);
  if (!file) return { kind: 'none' };
  const content = await openStored(ctx, file, dossier.code ?? `${dossier.id}`, 'attachment');
  try {
    await recordCitizenAccess(
      ctx,
      dossier.office_id,
      'result.downloaded',
      dossier.code ?? `#${dossier.id}`,
      {
        file: file.id,
        sha256: file.sha256,
      },
    );
  } catch (err) {
    content.stream.destroy(); // not logged, not served
    throw err;
  }
  return { kind: 'file', content };
}

function sameDigits(a: string, b: string): boolean {
  const left = Buffer.from(a.padEnd(4, ' '));
  const right = Buffer.from(b.padEnd(4, ' ').slice(0, 4));
  return left.length === right.length && timingSafeEqual(left, right);
}
