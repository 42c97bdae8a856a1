import type { Kysely } from 'kysely';
import type { Database, OfficeRow } from './schema.js';
import { loadWorkingCalendar } from '../calendar/calendar.repository.js';
import type { WorkingCalendar } from '../calendar/working-days.js';
import { findProcedureByCode, type ProcedureWithDocuments } from '../procedures/procedures.repository.js';

const TTL_MS = 5_000;

/**
 * The master data every intake reads (offices, the procedure catalog, the calendar) changes a
 * few times a year but was read on every request. It is kept here for a few seconds; the
 * administration pages clear it on every change, so this process sees an edit at once and any
 * other process on the same database within TTL_MS.
 */
export class MasterDataCache {
  #calendar: { value: Promise<WorkingCalendar>; until: number } | null = null;
  #offices: { value: Promise<OfficeRow[]>; until: number } | null = null;
  #procedures = new Map<string, { value: Promise<ProcedureWithDocuments | undefined>; until: number }>();

  constructor(private readonly db: Kysely<Database>) {}

  calendar(): Promise<WorkingCalendar> {
    const now = Date.now();
    if (!this.#calendar || this.#calendar.until < now) this.#calendar = { value: loadWorkingCalendar(this.db), until: now + TTL_MS };
    return this.#calendar.value;
  }

  offices(): Promise<OfficeRow[]> {
    const now = Date.now();
    if (!this.#offices || this.#offices.until < now) {
      this.#offices = { value: this.db.selectFrom('offices').selectAll().orderBy('code').execute(), until: now + TTL_MS };
    }
    return this.#offices.value;
  }

  procedure(code: string): Promise<ProcedureWithDocuments | undefined> {
    const now = Date.now();
    let entry = this.#procedures.get(code);
    if (!entry || entry.until < now) {
      if (this.#procedures.size > 1000) this.#procedures.clear();
      entry = { value: findProcedureByCode(this.db, code), until: now + TTL_MS };
      this.#procedures.set(code, entry);
    }
    return entry.value;
  }

  invalidate(): void {
    this.#calendar = null;
    this.#offices = null;
    this.#procedures.clear();
  }
}
