import type { Generated } from 'kysely';
import type { StoredContentType } from './schema-files.js';

/** Online dossiers and the portal's sync outbox (migration 23). */
type IsoInstant = string;
type LocalDate = string;

export type OnlineState = 'pending' | 'supplement_requested' | 'accepted' | 'refused';

export interface OnlineDossierTable {
  id: Generated<number>;
  office_id: number;
  /** The portal's code of the dossier (its MaHoSo): deliveries are idempotent on it. */
  portal_code: string;
  delivery_hash: string;
  procedure_id: number;
  procedure_code: string;
  procedure_name: string;
  submitted_at: IsoInstant;
  arrived_at: IsoInstant;
  return_channel: 'counter' | 'post' | 'online';
  applicant_name: string;
  personal_id: string | null;
  birth_date: LocalDate | null;
  sex: 'male' | 'female' | null;
  phone: string | null;
  address: string;
  note: Generated<string>;
  state: OnlineState;
  check_due_at: IsoInstant;
  decided_at: IsoInstant | null;
  decided_by: number | null;
  decided_by_name: string | null;
  reason: string | null;
  dossier_id: number | null;
  intake_token: string;
  delivered_by: number;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface OnlineDossierFileTable {
  id: Generated<number>;
  online_dossier_id: number;
  document_id: number;
  file_name: string;
  sha256: string;
  size: number;
  content_type: StoredContentType;
  pages: number;
  position: number;
  created_at: IsoInstant;
  replaced_at: IsoInstant | null;
}

/** in_step: the portal has every change; pending: changes wait; failing: retrying since … */
export type SyncState = 'in_step' | 'pending' | 'failing';

export interface PortalSyncStreamTable {
  id: Generated<number>;
  office_id: number;
  ma_ho_so: string;
  dossier_id: number | null;
  online_dossier_id: number | null;
  last_seq: Generated<number>;
  sent_seq: Generated<number>;
  on_portal: Generated<number>;
  state: SyncState;
  attempts: Generated<number>;
  next_attempt_at: IsoInstant;
  failing_since: IsoInstant | null;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: IsoInstant | null;
  last_change_at: IsoInstant;
  last_sent_at: IsoInstant | null;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface PortalSyncRowTable {
  id: Generated<number>;
  stream_id: number;
  /** The stream's office (migration 33; rows written before it were given theirs then). */
  office_id: number | null;
  seq: number;
  change: string;
  national_status: string;
  record: string;
  progress: string;
  created_at: IsoInstant;
  sent_at: IsoInstant | null;
}
