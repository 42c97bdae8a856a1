import { inTransaction } from './db/transactions.js';
import type { AppContext } from './context.js';
import type { Tx } from './db/database.js';
import { bumpMasterDataVersion } from './db/shared-state.js';
import type { OfficeRow } from './db/schema.js';
import type { WorkingCalendar } from './calendar/working-days.js';
import type { ProcedureWithDocuments } from './procedures/procedures.service.js';

const TTL_MS = 5_000;
/** How often a process asks the database whether another process changed the master data. */
const VERSION_CHECK_MS = 1_000;

/** How the cache loads each kind of master data: given by the context, from the owners' reads. */
export interface MasterDataLoaders {
  calendar(): Promise<WorkingCalendar>;
  offices(): Promise<OfficeRow[]>;
  procedure(code: string): Promise<ProcedureWithDocuments | undefined>;
  /** The master-data version row, moved on by every change (in any process). */
  version(): Promise<number>;
}

/**
 * The master data every intake reads (offices, the procedure catalog, the calendar) changes a
 * few times a year but was read on every request. It is kept here for a few seconds; every
 * administrative change clears it (`changeMasterData`) and moves the version row on in its
 * transaction, so this process sees an edit at once and any other process on the same database
 * within VERSION_CHECK_MS (it reads the version at most that often).
 */
export class MasterDataCache {
  #calendar: { value: Promise<WorkingCalendar>; until: number } | null = null;
  #offices: { value: Promise<OfficeRow[]>; until: number } | null = null;
  #procedures = new Map<
    string,
    { value: Promise<ProcedureWithDocuments | undefined>; until: number }
  >();
  #version: number | null = null;
  #versionCheck: { at: number; done: Promise<void> } | null = null;

  constructor(private readonly load: MasterDataLoaders) {}

  /** Drops the cache when another process changed the master data since the last look. */
  #checkVersion(): Promise<void> {
    const now = Date.now();
    if (this.#versionCheck && now - this.#versionCheck.at < VERSION_CHECK_MS)
      return this.#versionCheck.done;
    const done = this.load.version().then(
      (version) => {
        if (this.#version !== null && version !== this.#version) this.invalidate();
        this.#version = version;
      },
      () => undefined, // an unreachable database shows in the loads themselves
    );
    this.#versionCheck = { at: now, done };
    return done;
  }

  async calendar(): Promise<WorkingCalendar> {
    await this.#checkVersion();
    const now = Date.now();
    if (!this.#calendar || this.#calendar.until < now)
      this.#calendar = { value: this.load.calendar(), until: now + TTL_MS };
    return this.#calendar.value;
  }

  async offices(): Promise<OfficeRow[]> {
    await this.#checkVersion();
    const now = Date.now();
    if (!this.#offices || this.#offices.until < now)
      this.#offices = { value: this.load.offices(), until: now + TTL_MS };
    return this.#offices.value;
  }

  async procedure(code: string): Promise<ProcedureWithDocuments | undefined> {
    await this.#checkVersion();
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

/**
 * A change to offices, the catalog or the calendar: one transaction that also moves the version
 * on (other processes drop their copies), then this process's cache is cleared.
 */
export async function changeMasterData<T>(
  ctx: Pick<AppContext, 'db' | 'masterData'>,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const result = await fn(tx);
      await bumpMasterDataVersion(tx);
      return result;
    });
  } finally {
    ctx.masterData.invalidate();
  }
}
