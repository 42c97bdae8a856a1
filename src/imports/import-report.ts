import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** What a check or an import of a tracking book reports, and the file it read. */

export interface ImportFile {
  path: string;
  /** The name the user knows the file by (shown in the report and the events). */
  name: string;
}

export interface ImportActor {
  id: number;
  username: string;
  fullName: string;
}

export interface RowProblem {
  row: number;
  messages: string[];
}

export interface ImportReport {
  fileName: string;
  fileSha256: string;
  office: { id: number; code: string; name: string };
  /** Data rows read (the heading and the lines above it not counted). */
  rows: number;
  /** Rows that are new: imported, or would be. */
  newRows: number;
  /** Rows imported before (same file or same rows): left as they are. */
  alreadyImported: number;
  /** Rows with problems, in file order; at most MAX_LISTED_ERRORS are listed. */
  errors: RowProblem[];
  errorRows: number;
  /** Rows whose appointment we computed with projected holidays (listed up to MAX_LISTED_ERRORS). */
  provisionalRows: number[];
  provisionalCount: number;
  /** Problems of the file as a whole (no heading row, unreadable, empty). */
  fileErrors: string[];
  /** After an import: how many dossiers were added (null for a check). */
  imported: number | null;
  importId: number | null;
}

export function isClean(report: Pick<ImportReport, 'errorRows' | 'fileErrors'>): boolean {
  return report.errorRows === 0 && report.fileErrors.length === 0;
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
