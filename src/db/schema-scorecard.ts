/**
 * The service index's counts kept by triggers (migration 27, `migrations/20261203_27_scorecard_daily.ts`
 * lists the measures): written only by the database's triggers, read by the scorecard.
 */
export type ScorecardMeasure =
  | 'resolved'
  | 'resolved_good'
  | 'received_native'
  | 'online_native'
  | 'digitised_native'
  | 'reused_native'
  | 'result_native'
  | 'result_file_native'
  | 'open_in'
  | 'open_out'
  | 'paused_in'
  | 'paused_out'
  | 'overdue_in'
  | 'overdue_out'
  | 'paused_overdue_in'
  | 'paused_overdue_out'
  | 'paid'
  | 'paid_online';

/** Per office, local day ('YYYY-MM-DD') and measure; `tag` is the procedure for paid*, else ''. */
export interface ScorecardDailyTable {
  office_id: number;
  day: string;
  measure: ScorecardMeasure;
  tag: string;
  n: number;
}

/** The same per calendar month ('YYYY-MM' of the local day). */
export interface ScorecardMonthlyTable extends Omit<ScorecardDailyTable, 'day'> {
  month: string;
}

/** One row per dossier with a current file (not replaced, not "paper only"). */
export interface ScorecardFilesTable {
  dossier_id: number;
  has_file: number;
  has_reused: number;
  has_result: number;
}
