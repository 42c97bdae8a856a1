import type { Generated } from 'kysely';

/** Số hóa (migration 22): stored files, the files of dossier components and results, quotas, the database store. */
type IsoInstant = string;
type LocalDate = string;

export type StoredContentType = 'application/pdf' | 'image/jpeg' | 'image/png';

export interface StoredFileTable {
  id: Generated<number>;
  sha256: string;
  size: number;
  content_type: StoredContentType;
  pages: number;
  charged_office_id: number;
  created_at: IsoInstant;
  /** A tombstone: the bytes were deleted by retention; the record stays. */
  deleted_at: IsoInstant | null;
  deleted_reason: string | null;
}

/** digitised (1), reused from another dossier's component (2), reused from a result (3), or paper only with a reason. */
export type ComponentFileState = 'digitised' | 'reused' | 'reused_result' | 'paper_only';

export interface DossierFileTable {
  id: Generated<number>;
  dossier_id: number;
  /** The procedure document's id as text, or 'result'. */
  component: string;
  component_name: string;
  state: ComponentFileState;
  stored_file_id: number | null;
  position: Generated<number>;
  pages: Generated<number>;
  reused_from_id: number | null;
  paper_reason: string | null;
  valid_until: LocalDate | null;
  created_by: number;
  created_at: IsoInstant;
  replaced_at: IsoInstant | null;
  replaced_by: number | null;
}

/**
 * A dossier's digitisation counts, kept by triggers on its checklist and files (migration 32):
 * components handed in, digitised, reused and paper only, and whether its result is electronic.
 */
export interface DossierDigitisationTable {
  dossier_id: number;
  handed: number;
  digitised: number;
  reused: number;
  paper_only: number;
  electronic: number;
}

export interface FileQuotaTable {
  office_id: number;
  used_bytes: Generated<number>;
  files: Generated<number>;
  quota_bytes: number | null;
}

export interface FileStoreObjectTable {
  sha256: string;
  size: number;
  chunks: number;
  created_at: IsoInstant;
}

export interface FileStoreChunkTable {
  sha256: string;
  seq: number;
  data: Buffer;
}
