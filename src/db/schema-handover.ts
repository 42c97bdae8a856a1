import type { Generated, Selectable } from 'kysely';

/** Processing units, their members, step plans and each dossier's steps (migration 13); form registers (14). */
type IsoInstant = string;

export interface ProcessingUnitTable {
  id: Generated<number>;
  office_id: number;
  code: string;
  name: string;
  active: Generated<number>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

/** A unit-scoped role: cán bộ xử lý (processor) or lãnh đạo đơn vị (approver). */
export type UnitRole = 'processor' | 'approver';

export interface UnitMemberTable {
  unit_id: number;
  account_id: number;
  role: UnitRole;
  created_at: IsoInstant;
}

/** Every step a dossier goes through; `return` has no deadline of its own (the appointment). */
export type StepKind = 'reception' | 'processing' | 'approval' | 'result' | 'return';
export type PlannedStepKind = Exclude<StepKind, 'return'>;

export interface ProcedureStepPlanTable {
  procedure_id: number;
  kind: PlannedStepKind;
  minutes: number;
  unit_code: string | null;
  updated_at: IsoInstant;
}

/** Why a step ended: handed on, sent back for rework, approved, the result at the counter, … */
export type StepEndReason =
  'handed_over' | 'rework' | 'approved' | 'result_received' | 'returned' | 'supplement' | 'closed';

export interface DossierStepTable {
  id: Generated<number>;
  dossier_id: number;
  office_id: number;
  position: number;
  kind: StepKind;
  unit_id: number | null;
  holder_account_id: number | null;
  holder_name: string | null;
  given_by_account_id: number | null;
  given_by_name: string;
  started_at: IsoInstant;
  planned_minutes: number | null;
  due_at: IsoInstant | null;
  risk_at: IsoInstant | null;
  due_explanation: string | null;
  finished_at: IsoInstant | null;
  finished_by_account_id: number | null;
  finished_by_name: string | null;
  end_reason: StepEndReason | null;
  outcome: 'early' | 'on_time' | 'late' | null;
  worked_minutes: number | null;
  note: Generated<string>;
  /** Done by a supervisor in the unit's place (the office allows it; migration 18). */
  on_behalf: Generated<number>;
}

export type ProcessingUnitRow = Selectable<ProcessingUnitTable>;
export type UnitMemberRow = Selectable<UnitMemberTable>;
export type ProcedureStepPlanRow = Selectable<ProcedureStepPlanTable>;
export type DossierStepRow = Selectable<DossierStepTable>;

/** The numbered forms of a dossier: each issue takes the next number of its office's register for the year. */
export type RegisteredFormKind = 'supplement' | 'refusal' | 'apology' | 'stop';

export interface FormRegisterTable {
  office_id: number;
  kind: RegisteredFormKind;
  year: number;
  last_number: number;
}

export interface DossierFormTable {
  id: Generated<number>;
  dossier_id: number;
  office_id: number;
  kind: RegisteredFormKind;
  year: number;
  number: number;
  issued_at: IsoInstant;
  issued_by: number | null;
  signer_name: string;
}
export type DossierFormRow = Selectable<DossierFormTable>;

/** The outbox of messages to citizens (migration 15). */
export type NotificationState =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'failed_temporary'
  | 'failed_permanent'
  | 'cancelled';

export interface NotificationTable {
  id: Generated<number>;
  /** Null for a message about a queue ticket (`ticket_id`). */
  dossier_id: number | null;
  ticket_id: Generated<number | null>;
  office_id: number;
  kind: string;
  channel: 'sms' | 'zalo' | 'email' | 'log';
  recipient: string;
  subject: Generated<string>;
  body: string;
  params: Generated<string>;
  redact: string | null;
  state: NotificationState;
  attempts: Generated<number>;
  next_attempt_at: IsoInstant;
  expires_at: IsoInstant;
  lease_owner: string | null;
  lease_until: IsoInstant | null;
  provider_id: string | null;
  last_error: string | null;
  created_at: IsoInstant;
  sent_at: IsoInstant | null;
  delivered_at: IsoInstant | null;
  failed_at: IsoInstant | null;
}
export type NotificationRow = Selectable<NotificationTable>;

export interface NotificationTemplateTable {
  kind: string;
  subject: string;
  body: string;
  zalo_template_id: Generated<string>;
  updated_at: IsoInstant;
}
