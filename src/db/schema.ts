import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are ISO-8601 UTC text (`*_at`); calendar dates are local `YYYY-MM-DD` (`*_on`). */
type IsoInstant = string;
type LocalDate = string;

export interface OfficeTable {
  id: Generated<number>;
  code: string;
  name: string;
  short_name: string;
  address: string;
  phone: string;
  opening_hours: string;
  parent_id: number | null;
  valid_from: LocalDate;
  valid_to: LocalDate | null;
  created_at: IsoInstant;
}

export interface ReportGroupTable {
  code: string;
  name: string;
  position: number;
}

export interface ProcedureTable {
  id: Generated<number>;
  code: string;
  name: string;
  field: string;
  report_group: string;
  processing_days: number;
  processing_note: string;
  fee_vnd: number | null;
  fee_note: string;
  legal_basis: string;
  is_vehicle: number;
  active: number;
  position: number;
  source_note: string;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export type DocumentCopyKind = 'original' | 'certified_copy' | 'photocopy' | 'original_or_copy';

export interface ProcedureDocumentTable {
  id: Generated<number>;
  procedure_id: number;
  name: string;
  required: number;
  copy_kind: DocumentCopyKind;
  quantity: number;
  position: number;
}

export type CalendarDayKind = 'holiday' | 'make_up_workday';

export interface CalendarDayTable {
  day: LocalDate;
  kind: CalendarDayKind;
  name: string;
  created_at: IsoInstant;
}

export type Role = 'officer' | 'supervisor' | 'admin';

export interface AccountTable {
  id: Generated<number>;
  username: string;
  full_name: string;
  role: Role;
  office_id: number;
  password_hash: string;
  failed_logins: number;
  locked_until: IsoInstant | null;
  active: number;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface ApiTokenTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  token_hash: string;
  created_at: IsoInstant;
  last_used_at: IsoInstant | null;
  revoked_at: IsoInstant | null;
  scope: Generated<TokenScope>;
  expires_at: IsoInstant | null;
}

/** full: everything the account may do; read: GET only; kiosk: only the kiosk's own calls. */
export type TokenScope = 'full' | 'read' | 'kiosk';
export interface LoginAttemptTable {
  account_id: number;
  client_key: string;
  failures: number;
  locked_until: IsoInstant | null;
  updated_at: IsoInstant;
}

/** Who viewed or searched citizens' personal data (Luật 91/2025). */
export interface AccessEventTable {
  id: Generated<number>;
  at: IsoInstant;
  account_id: number;
  office_id: number;
  action: string;
  subject: string;
  details: Generated<string>;
}

export interface SessionTable {
  sid: string;
  data: string;
  account_id: number | null;
  expires_at: IsoInstant;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: IsoInstant;
  actor_account_id: number | null;
  actor_username: string | null;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface DossierTable {
  id: Generated<number>;
  code: string | null;
  lookup_key_hash: string | null;
  office_id: number;
  procedure_id: number;
  procedure_code: string;
  procedure_name: string;
  report_group: string;
  processing_days: number;
  intake_outcome: 'accepted' | 'guided' | 'refused';
  status: string;
  applicant_name: string;
  applicant_name_folded: string;
  personal_id: string | null;
  birth_date: LocalDate | null;
  sex: 'male' | 'female' | null;
  phone: string | null;
  address: string;
  vehicle_kind: string | null;
  vehicle_id: string | null;
  note: string;
  received_at: IsoInstant;
  received_on: LocalDate;
  received_by: number;
  due_on: LocalDate | null;
  due_at: IsoInstant | null;
  /** JSON of the due-date computation (days counted and passed over), as promised. */
  due_explanation: string | null;
  rescheduled_due_on: LocalDate | null;
  rescheduled_due_at: IsoInstant | null;
  supplement_requested_at: IsoInstant | null;
  result_at: IsoInstant | null;
  result_on: LocalDate | null;
  outcome: 'early' | 'on_time' | 'late' | null;
  returned_at: IsoInstant | null;
  returned_to: string | null;
  closed_at: IsoInstant | null;
  refusal_reason: string | null;
  form_token: string | null;
  /** Set for dossiers brought in from an old tracking book (imports). */
  import_id: ColumnType<number | null, number | null | undefined, never>;
  /** Identifies the imported row, so importing the same file again adds nothing. */
  import_key: ColumnType<string | null, string | null | undefined, never>;
  /** When retention removed the applicant's personal data (closed long ago). */
  anonymised_at: ColumnType<IsoInstant | null, IsoInstant | null | undefined, IsoInstant | null>;
  version: Generated<number>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface DossierDocumentTable {
  id: Generated<number>;
  dossier_id: number;
  procedure_document_id: number | null;
  name: string;
  required: number;
  copy_kind: string;
  quantity: number;
  received: number;
  position: number;
}

export interface DossierEventTable {
  id: Generated<number>;
  dossier_id: number;
  at: IsoInstant;
  actor_account_id: number | null;
  actor_name: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface CodeSequenceTable {
  office_id: number;
  day: string;
  last_number: number;
}

export interface LookupEventTable {
  id: Generated<number>;
  at: IsoInstant;
  code: string;
  hit: number;
  channel: 'page' | 'api';
}

export type RatingLevel = 'very_satisfied' | 'satisfied' | 'unsatisfied';

export interface RatingTable {
  id: Generated<number>;
  dossier_id: number;
  level: RatingLevel;
  comment: string;
  at: IsoInstant;
}

export interface ImportTable {
  id: Generated<number>;
  office_id: number;
  account_id: number;
  file_name: string;
  file_sha256: string;
  row_count: number;
  imported_count: number;
  skipped_count: number;
  at: IsoInstant;
}

/** Flow counts per office, local day, procedure, report group and receiving officer (kept by triggers). */
export interface ReportDailyTable {
  office_id: number;
  day: string;
  measure: 'received' | 'guided' | 'early' | 'on_time' | 'late' | 'refused' | 'withdrawn_stopped' | 'finished' | 'rating_very_satisfied' | 'rating_satisfied' | 'rating_unsatisfied';
  procedure_code: string;
  report_group: string;
  officer_id: number;
  n: number;
}

/** The same counts per calendar month ('YYYY-MM' of the local day). */
export interface ReportMonthlyTable extends Omit<ReportDailyTable, 'day'> {
  month: string;
}

export interface Database {
  report_daily: ReportDailyTable;
  report_monthly: ReportMonthlyTable;
  imports: ImportTable;
  offices: OfficeTable;
  report_groups: ReportGroupTable;
  procedures: ProcedureTable;
  procedure_documents: ProcedureDocumentTable;
  calendar_days: CalendarDayTable;
  accounts: AccountTable;
  api_tokens: ApiTokenTable;
  login_attempts: LoginAttemptTable;
  access_events: AccessEventTable;
  sessions: SessionTable;
  audit_events: AuditEventTable;
  dossiers: DossierTable;
  dossier_documents: DossierDocumentTable;
  dossier_events: DossierEventTable;
  code_sequences: CodeSequenceTable;
  lookup_events: LookupEventTable;
  ratings: RatingTable;
}

export type OfficeRow = Selectable<OfficeTable>;
export type ProcedureRow = Selectable<ProcedureTable>;
export type ProcedureDocumentRow = Selectable<ProcedureDocumentTable>;
export type CalendarDayRow = Selectable<CalendarDayTable>;
export type AccountRow = Selectable<AccountTable>;
export type InsertableAccountRow = Insertable<AccountTable>;
export type UpdateableAccountRow = Updateable<AccountTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type DossierRow = Selectable<DossierTable>;
export type DossierDocumentRow = Selectable<DossierDocumentTable>;
export type DossierEventRow = Selectable<DossierEventTable>;
export type { ColumnType };
