import type { Migration } from 'kysely';
import * as foundation from './20261128_01_foundation.js';
import * as dossiers from './20261128_02_dossiers.js';
import * as lookup from './20261128_03_lookup_and_ratings.js';
import * as hashChains from './20261128_04_event_hash_chains.js';
import * as reportIndexes from './20261128_05_report_indexes.js';
import * as imports from './20261128_06_imports.js';
import * as reportDaily from './20261128_07_report_daily.js';
import * as security from './20261201_08_security.js';
import * as calendarYears from './20261201_09_calendar_years.js';
import * as sharedState from './20261201_10_shared_state.js';
import * as vehicles from './20261201_11_vehicles.js';
import * as boardIndexes from './20261201_12_board_indexes.js';
import * as handover from './20261201_13_handover.js';
import * as forms from './20261201_14_forms_and_report_categories.js';
import * as notifications from './20261201_15_notifications.js';
import * as queue from './20261201_16_queue.js';
import * as ticketDossierIndex from './20261201_17_ticket_dossier_index.js';
import * as duties from './20261203_18_duties.js';
import * as counterDay from './20261203_19_counter_day.js';
import * as hall from './20261203_20_hall.js';
import * as payments from './20261203_24_payments.js';
import * as files from './20261203_22_files.js';
import * as speed from './20261203_21_speed.js';
import * as online from './20261203_23_online.js';
import * as correction from './20261203_25_correction.js';
import * as post from './20261203_26_post.js';
import * as scorecardDaily from './20261203_27_scorecard_daily.js';
import * as hours from './20261203_28_hours.js';
import * as reportSpeed from './20261203_29_report_speed.js';
import * as reportReadsCovered from './20261204_30_report_reads_covered.js';
import * as countersAtCommit from './20261204_31_counters_at_commit.js';
import * as digitisationPerDossier from './20261204_32_digitisation_per_dossier.js';
import * as reportReadsByOffice from './20261204_33_report_reads_by_office.js';
import * as countersSetBased from './20261205_34_counters_set_based.js';
import * as intakeCountsDirect from './20261205_35_intake_counts_direct.js';
import * as receiptsBeyondTheCounter from './20261205_36_receipts_beyond_the_counter.js';

/**
 * Every migration, by name; names sort in the order they run. Listed here (rather than read from
 * the folder) so the same list works from TypeScript sources and from the compiled build.
 */
export const migrations: Record<string, Migration> = {
  '20261128_01_foundation': foundation,
  '20261128_02_dossiers': dossiers,
  '20261128_03_lookup_and_ratings': lookup,
  '20261128_04_event_hash_chains': { up: hashChains.up, down: hashChains.down },
  '20261128_05_report_indexes': reportIndexes,
  '20261128_06_imports': imports,
  '20261128_07_report_daily': reportDaily,
  '20261201_08_security': security,
  '20261201_09_calendar_years': calendarYears,
  '20261201_10_shared_state': sharedState,
  '20261201_11_vehicles': vehicles,
  '20261201_12_board_indexes': boardIndexes,
  '20261201_13_handover': handover,
  '20261201_14_forms_and_report_categories': forms,
  '20261201_15_notifications': notifications,
  '20261201_16_queue': queue,
  '20261201_17_ticket_dossier_index': ticketDossierIndex,
  '20261203_18_duties': duties,
  '20261203_19_counter_day': counterDay,
  '20261203_20_hall': hall,
  '20261203_21_speed': speed,
  '20261203_22_files': files,
  '20261203_23_online': online,
  '20261203_24_payments': payments,
  '20261203_25_correction': correction,
  '20261203_26_post': post,
  '20261203_27_scorecard_daily': scorecardDaily,
  '20261203_28_hours': hours,
  '20261203_29_report_speed': reportSpeed,
  '20261204_30_report_reads_covered': reportReadsCovered,
  '20261204_31_counters_at_commit': countersAtCommit,
  '20261204_32_digitisation_per_dossier': digitisationPerDossier,
  '20261204_33_report_reads_by_office': reportReadsByOffice,
  '20261205_34_counters_set_based': countersSetBased,
  '20261205_35_intake_counts_direct': intakeCountsDirect,
  '20261205_36_receipts_beyond_the_counter': receiptsBeyondTheCounter,
};
