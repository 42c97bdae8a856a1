import type { ColumnType, Generated } from 'kysely';

/** The dossiers, their documents, events and codes, the citizens' lookups and ratings, imports and report counts. */
type IsoInstant = string;
type LocalDate = string;

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
  /** The plate in its canonical form (`90B112345`, see dossiers/vehicle-plate.ts). */
  vehicle_id: string | null;
  /** Số khung, số máy, brand and colour: recorded at a first registration. */
  vehicle_frame_no: Generated<string | null>;
  vehicle_engine_no: Generated<string | null>;
  vehicle_brand: Generated<string | null>;
  vehicle_colour: Generated<string | null>;
  note: string;
  email: Generated<string | null>;
  /** The channels the citizen agreed to be told on: `sms,zalo,email` (empty: none). */
  notify_channels: Generated<string>;
  /** The queue ticket the dossier was received from (migration 16). */
  ticket_id: Generated<number | null>;
  /** How the dossier came in (counter, online, public post) and how the result goes back. */
  receiving_channel: Generated<'counter' | 'online' | 'post'>;
  return_channel: Generated<'counter' | 'post' | 'online'>;
  /** The result sent by post (migration 26): the tracking code, the address, when it left. */
  post_tracking_code: Generated<string | null>;
  post_address: Generated<string | null>;
  post_dispatched_at: Generated<IsoInstant | null>;
  /** The day the post delivered it to the citizen (the dossier is returned then). */
  post_delivered_on: Generated<LocalDate | null>;
  /** The fee as the catalog stated it at intake. */
  fee_vnd: Generated<number | null>;
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
  /** When the intake was last corrected (migration 25; the tracking book marks it). */
  intake_corrected_at: ColumnType<
    IsoInstant | null,
    IsoInstant | null | undefined,
    IsoInstant | null
  >;
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
  measure:
    | 'received'
    | 'guided'
    | 'early'
    | 'on_time'
    | 'late'
    | 'refused'
    | 'withdrawn_stopped'
    | 'finished'
    | 'rating_very_satisfied'
    | 'rating_satisfied'
    | 'rating_unsatisfied';
  procedure_code: string;
  report_group: string;
  officer_id: number;
  n: number;
}

/** The same counts per calendar month ('YYYY-MM' of the local day). */
export interface ReportMonthlyTable extends Omit<ReportDailyTable, 'day'> {
  month: string;
}
