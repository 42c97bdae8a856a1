import type { AppContext } from './context.js';
import type { Tx } from './db/database.js';
import type { OfficeRow } from './db/schema.js';
import type { WorkingCalendar } from './calendar/working-days.js';
import type { ProcedureWithDocuments } from './procedures/procedures.service.js';

const TTL_MS = 5_000;

/** How the cache loads each kind of master data: given by the context, from the owners' reads. */
export interface MasterDataLoaders {
  calendar(): Promise<WorkingCalendar>;
  offices(): Promise<OfficeRow[]>;
  procedure(code: string): Promise<ProcedureWithDocuments | undefined>;
}

/**
 * The master data every intake reads (offices, the procedure catalog, the calendar) changes a
 * few times a year but was read on every request. It is kept here for a few seconds; every
 * administrative change clears it (`changeMasterData`), so this process sees an edit at once and
 * any other process on the same database within TTL_MS.
 */
export class MasterDataCache {
  #calendar: { value: Promise<WorkingCalendar>; until: number } | null = null;
  #offices: { value: Promise<OfficeRow[]>; until: number } | null = null;
  #procedures = new Map<string, { value: Promise<ProcedureWithDocuments | undefined>; until: number }>();

  constructor(private readonly load: MasterDataLoaders) {}

  calendar(): Promise<WorkingCalendar> {
    const now = Date.now();
    if (!this.#calendar || this.#calendar.until < now) this.#calendar = { value: this.load.calendar(), until: now + TTL_MS };
    return this.#calendar.value;
  }

  offices(): Promise<OfficeRow[]> {
    const now = Date.now();
    if (!this.#offices || this.#offices.until < now) this.#offices = { value: this.load.offices(), until: now + TTL_MS };
    return this.#offices.value;
  }

  procedure(code: string): Promise<ProcedureWithDocuments | undefined> {
    const now = Date.now();
    let entry = this.#procedures.get(code);
    if (!entry || entry.until < now) {
      if (this.#procedures.size > 1000) this.#procedures.clear();
      entry = { value: this.load.procedure(code), until: now + TTL_MS };
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

/** A change to offices, the catalog or the calendar: one transaction, then the cache is cleared. */
export async function changeMasterData<T>(ctx: AppContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction().execute(fn);
  } finally {
    ctx.masterData.invalidate();
  }
}
