import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  DossierTable,
  DossierDocumentTable,
  DossierEventTable,
  CodeSequenceTable,
  LookupEventTable,
  RatingTable,
  ImportTable,
  ReportDailyTable,
  ReportMonthlyTable,
} from './schema-dossiers.js';

export type * from './schema-dossiers.js';
export type * from './schema-handover.js';
export type * from './schema-payments.js';
export type * from './schema-hall.js';
import type { AppointmentDayTable, AppointmentHoldTable, ImportTurnTable } from './schema-hall.js';
import type {
  BankStatementLineTable,
  BankStatementTable,
  FeeRuleTable,
  PaymentCallbackTable,
  PaymentEventTable,
  PaymentTable,
  ReceiptSequenceTable,
  ReceiptTable,
} from './schema-payments.js';
export type * from './schema-online.js';
import type {
  OnlineDossierFileTable,
  OnlineDossierTable,
  PortalSyncRowTable,
  PortalSyncStreamTable,
} from './schema-online.js';
export type * from './schema-scorecard.js';
import type {
  ScorecardDailyTable,
  ScorecardFilesTable,
  ScorecardMonthlyTable,
} from './schema-scorecard.js';
export type * from './schema-files.js';
import type {
  DossierFileTable,
  DossierDigitisationTable,
  FileQuotaTable,
  FileStoreChunkTable,
  FileStoreObjectTable,
  StoredFileTable,
} from './schema-files.js';
import type {
  AppointmentSlotTable,
  AppointmentTable,
  CounterGroupTable,
  CounterTable,
  QueueEventTable,
  ServiceGroupProcedureTable,
  ServiceGroupTable,
  TicketSequenceTable,
  TicketTable,
} from './schema-queue.js';
import type {
  DossierFormTable,
  DossierStepTable,
  FormRegisterTable,
  NotificationTable,
  NotificationTemplateTable,
  ProcedureStepPlanTable,
  ProcessingUnitTable,
  UnitMemberTable,
} from './schema-handover.js';

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
  /**
   * Working periods of a day, `07:30-11:30,13:30-17:00`: the one source of the office's hours
   * (step deadlines, booking slots, the kiosk, and the published hours rendered from them).
   */
  working_hours: Generated<string>;
  /** The place forms are dated at ("Lý Nhân, ngày …"); empty: taken from the address. */
  place_name: Generated<string>;
  /** Who may take a priority ticket here: elderly,disabled,pregnant,child (migration 16). */
  queue_priorities: Generated<string>;
  /** A ticket this many places from the counter is told its number is near. */
  queue_near_at: Generated<number>;
  /** The office's own SMS and Zalo accounts (null: the installation's). */
  sms_gateway_url: Generated<string | null>;
  sms_gateway_token: Generated<string | null>;
  zalo_zns_url: Generated<string | null>;
  zalo_zns_token: Generated<string | null>;
  /** Its supervisors may act in a processing unit's place (1); the step records it (migration 18). */
  supervisor_acts_for_units: Generated<number>;
  /** The beneficiary of the office's VietQR (migration 24): bank BIN, account, account name. */
  payment_bank_bin: Generated<string | null>;
  payment_account_no: Generated<string | null>;
  payment_account_name: Generated<string | null>;
  /** The beneficiary is an illustration (demo offices): pages and QR slips say so. */
  payment_illustrative: Generated<number>;
  /** No result is returned before the fee is paid (1). */
  payment_required_before_return: Generated<number>;
  /** The receipts' series (ký hiệu) before the year: `BL` gives `BL/2026`. */
  receipt_series: Generated<string>;
  /** The head who signs the office's decisions, e.g. `TRƯỞNG PHÒNG` and a name (migration 19). */
  head_title: Generated<string>;
  head_name: Generated<string>;
  /** Who signs in the head's place (`PHÓ TRƯỞNG PHÒNG`, a name): the form reads "KT. …". */
  deputy_title: Generated<string>;
  deputy_name: Generated<string>;
  parent_id: number | null;
  valid_from: LocalDate;
  valid_to: LocalDate | null;
  created_at: IsoInstant;
}

export interface ReportGroupTable {
  code: string;
  name: string;
  position: number;
  /** A report category under a catalog group (vehicle registration per vehicle kind). */
  parent_code: Generated<string | null>;
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
  /** A first registration (1): the vehicle has no plate yet; frame, engine, brand and colour identify it. */
  first_registration: Generated<number>;
  /** Which slips the procedure prints: TT 03/2025's, or the police sector forms of residence or căn cước. */
  form_set: Generated<FormSet>;
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

/** A year whose schedule is kept in calendar_days: the official one, or a provisional projection. */
export interface CalendarYearTable {
  year: number;
  status: 'official' | 'provisional';
  updated_at: IsoInstant;
}

export interface CalendarRuleTable {
  name: string;
  enabled: number;
  updated_at: IsoInstant;
}

export type Role = 'officer' | 'supervisor' | 'admin';
export type FormSet = 'tt03' | 'residence' | 'id_card';

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
  /** Works at the counter (tiếp nhận và trả kết quả): takes the counter's actions (migration 18). */
  counter_duty: Generated<number>;
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

/**
 * full: everything the account may do; read: GET only; kiosk: only the kiosk's own calls;
 * portal: only the online inbox's deliveries (a public-service portal or another upstream system);
 * display: only registers a call display (`/man-hinh/<office>?khoa=…`), nothing on the API.
 */
export type TokenScope = 'full' | 'read' | 'kiosk' | 'portal' | 'display' | 'postal';
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
  /** Null for a citizen's own access (a result downloaded from the lookup page, migration 22). */
  account_id: number | null;
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

/** A fixed window of counted hits per (bucket, keyed hash of the client or account). */
export interface RateLimitWindowTable {
  bucket: string;
  key_hash: string;
  hits: number;
  /** Epoch milliseconds on the app's clock. */
  resets_at: number;
}

/** One row (id 1): moved on by every change of offices, catalog or calendar. */
export interface MasterDataVersionTable {
  id: number;
  version: number;
}

export interface Database {
  rate_limit_windows: RateLimitWindowTable;
  master_data_version: MasterDataVersionTable;
  report_daily: ReportDailyTable;
  report_monthly: ReportMonthlyTable;
  scorecard_daily: ScorecardDailyTable;
  scorecard_monthly: ScorecardMonthlyTable;
  scorecard_files: ScorecardFilesTable;
  imports: ImportTable;
  offices: OfficeTable;
  report_groups: ReportGroupTable;
  procedures: ProcedureTable;
  procedure_documents: ProcedureDocumentTable;
  calendar_days: CalendarDayTable;
  calendar_years: CalendarYearTable;
  calendar_rules: CalendarRuleTable;
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
  processing_units: ProcessingUnitTable;
  unit_members: UnitMemberTable;
  procedure_step_plans: ProcedureStepPlanTable;
  dossier_steps: DossierStepTable;
  form_registers: FormRegisterTable;
  dossier_forms: DossierFormTable;
  notifications: NotificationTable;
  notification_templates: NotificationTemplateTable;
  service_groups: ServiceGroupTable;
  service_group_procedures: ServiceGroupProcedureTable;
  counters: CounterTable;
  counter_groups: CounterGroupTable;
  ticket_sequences: TicketSequenceTable;
  appointments: AppointmentTable;
  appointment_slots: AppointmentSlotTable;
  tickets: TicketTable;
  queue_events: QueueEventTable;
  fee_rules: FeeRuleTable;
  payments: PaymentTable;
  payment_events: PaymentEventTable;
  receipt_sequences: ReceiptSequenceTable;
  receipts: ReceiptTable;
  payment_callbacks: PaymentCallbackTable;
  bank_statements: BankStatementTable;
  bank_statement_lines: BankStatementLineTable;
  appointment_holds: AppointmentHoldTable;
  appointment_days: AppointmentDayTable;
  import_turns: ImportTurnTable;
  stored_files: StoredFileTable;
  dossier_files: DossierFileTable;
  dossier_digitisation: DossierDigitisationTable;
  file_quotas: FileQuotaTable;
  file_store_objects: FileStoreObjectTable;
  file_store_chunks: FileStoreChunkTable;
  online_dossiers: OnlineDossierTable;
  online_dossier_files: OnlineDossierFileTable;
  portal_sync_streams: PortalSyncStreamTable;
  portal_sync_rows: PortalSyncRowTable;
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
