import type SQLite from 'better-sqlite3';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { openDatabase, type Engine } from './db/connect.js';
import { systemClock, type Clock } from './lib/clock.js';
import { LookupEventBuffer } from './lookup/lookup-events.js';
import { MasterDataCache } from './master-data.js';
import { GroupCommit } from './db/group-commit.js';
import { readMasterDataVersion } from './db/shared-state.js';
import { loadWorkingCalendar } from './calendar/calendar.service.js';
import { findAllOffices } from './offices/offices.repository.js';
import { findProcedureByCode } from './procedures/procedures.repository.js';
import {
  combineExtensions,
  reserveIntakeNumbers,
  type DossierExtensions,
  type IntakeClaim,
  type IntakeTickets,
} from './dossiers/index.js';
import { paymentsExtension } from './payments/dossier-extension.js';
import { filesExtension } from './files/dossier-extension.js';
import { onlineExtension } from './online/dossier-extension.js';
import { channelsReportExtension } from './online/channels-report.js';
import { paymentsReportExtension } from './payments/report-section.js';
import { filesReportExtension } from './files/report-section.js';
import { combineReportExtensions, type ReportExtensions } from './reports/extensions.js';
import { QueueHub } from './queue/queue-hub.js';
import { intakeTicketsOf } from './queue/tickets.service.js';
import { loadSnapshot } from './queue/queue-snapshot.service.js';
import { lastQueueEventId, officesChangedAfter } from './queue/queue.repository.js';
import type { FileStore } from './files/file-store.js';
import { createFileStore } from './files/stores.js';
import { Metrics, statementKind } from './metrics/metrics.js';
import { outboxBacklog, waitingTicketsPerOffice } from './metrics/metrics.repository.js';
import { readBuildInfo } from './lib/build-info.js';
import { localDateOf } from './lib/vietnam-time.js';

/**
 * Everything a request handler may use. Built once at start; no module-level singletons. This is
 * the composition root: it wires the master-data cache to the owners' reads, so the cache itself
 * knows no feature.
 */
export interface AppContext {
  config: Config;
  db: Db;
  /** Where the citizen lookup, reports and exports read: the replica of DATABASE_READ_URL, or `db`. */
  readDb: Db;
  /** Where reports and exports read: `readDb`, or SQLite read connections on worker threads. */
  reportDb: Db;
  /** Rate-limit windows (see db/connect.ts): commits that need not wait for the disk. */
  stateDb: Db;
  engine: Engine;
  /** The better-sqlite3 handle on SQLite; null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  logger: Logger;
  clock: Clock;
  /** Citizen lookup counts, written in batches (see lookup-events.ts). */
  lookupEvents: LookupEventBuffer;
  /** Offices, catalog and calendar, cached for seconds and cleared by every admin change. */
  masterData: MasterDataCache;
  /** Write transactions that share one COMMIT under load (see group-commit.ts); used by intake. */
  groupCommit: GroupCommit;
  /** Live queue changes for the call displays and phone pages (server-sent events). */
  queueHub: QueueHub;
  /** The queue's side of an intake from a called ticket (the queue implements the intake's port). */
  intakeTickets: IntakeTickets;
  /** What features above the dossiers add to them (the fee before a return, the receipt's VietQR). */
  dossierExtensions: DossierExtensions;
  /** What features above the reports add to the period's report (fees, digitisation). */
  reportExtensions: ReportExtensions;
  /** Where the bytes of scans and results live (FILES_STORE: a folder, or the database). */
  fileStore: FileStore;
  /** What GET /metrics shows (src/metrics). */
  metrics: Metrics;
  /** Whether the process is shutting down (readiness answers 503 from then on). */
  lifecycle: { shuttingDown: boolean };
  destroy(): Promise<void>;
}

/**
 * What a service function takes: the members of the context it uses, named in its signature
 * (`deps: Deps<'db' | 'clock'>`), so a reader sees what it touches and a test passes only those.
 * The whole context stays at the routes and the entry (docs/ARCHITECTURE.md "Dependencies").
 */
export type Deps<K extends keyof AppContext> = Pick<AppContext, K>;

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    // Belt and braces: these never belong in a log line, whatever a caller passes.
    redact: {
      paths: [
        'password',
        '*.password',
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.personal_id',
        '*.personalId',
        '*.sid',
      ],
      censor: '[redacted]',
    },
  });
}

export function createAppContext(
  config: Config,
  overrides: { clock?: Clock; logger?: Logger; sqlite?: SQLite.Database } = {},
): AppContext {
  const logger = overrides.logger ?? createLogger(config);
  const clock = overrides.clock ?? systemClock;
  // The metrics' readings of the database and the hub run at scrape time, when ctx exists.
  const metrics = new Metrics(
    { ...readBuildInfo(), engine: config.databaseEngine },
    {
      outbox: () => outboxBacklog(ctx.db, clock.now().toISOString()),
      waitingTickets: async () => {
        const offices = await ctx.masterData.offices();
        const codes = new Map(offices.map((o) => [o.id, o.code]));
        const rows = await waitingTicketsPerOffice(
          ctx.db,
          offices.map((o) => o.id),
          localDateOf(clock.now()),
        );
        return rows.map((r) => ({
          office: codes.get(r.officeId) ?? String(r.officeId),
          waiting: r.waiting,
        }));
      },
      openStreams: () => ctx.queueHub.listenerCount,
      now: () => clock.now(),
    },
  );
  const database = openDatabase(config, {
    logger,
    sqlite: overrides.sqlite,
    onStatement: (sql, ms) => metrics.observeStatement(statementKind(sql), ms),
  });
  const { db } = database;
  const lookupEvents = new LookupEventBuffer(db, logger);
  let extensions: DossierExtensions = combineExtensions([]);
  let reportExtensions: ReportExtensions = combineReportExtensions([]);
  const ctx: AppContext = {
    config,
    db,
    readDb: database.readDb,
    reportDb: database.reportDb,
    stateDb: database.stateDb,
    engine: database.engine,
    sqlite: database.sqlite,
    logger,
    clock,
    lookupEvents,
    masterData: new MasterDataCache({
      calendar: () => loadWorkingCalendar(db),
      offices: () => findAllOffices(db),
      procedure: (code) => findProcedureByCode(db, code),
      version: () => readMasterDataVersion(db),
    }),
    groupCommit: new GroupCommit(db, database.engine, {
      onBatch: (units) => metrics.observeGroupCommit(units),
      prepareBatch: (tx, claims) => reserveIntakeNumbers(tx, claims as IntakeClaim[]),
    }),
    queueHub: new QueueHub(
      {
        load: (officeId) => loadSnapshot(ctx, officeId),
        changedAfter: (id) => officesChangedAfter(db, id),
        lastId: () => lastQueueEventId(db),
      },
      logger,
      { streams: config.queueStreams },
    ),
    intakeTickets: intakeTicketsOf({ db }),
    // Getters: the features read the context's other members when asked, not while it is built.
    get dossierExtensions() {
      return extensions;
    },
    get reportExtensions() {
      return reportExtensions;
    },
    fileStore: createFileStore(config, db, overrides.clock ?? systemClock),
    metrics,
    lifecycle: { shuttingDown: false },
    async destroy() {
      ctx.queueHub.closeAll();
      await lookupEvents.flush();
      await database.destroy(); // closes the better-sqlite3 handle or the pools too
    },
  };
  extensions = combineExtensions([
    paymentsExtension(ctx),
    filesExtension(ctx),
    onlineExtension(ctx),
  ]);
  reportExtensions = combineReportExtensions([
    paymentsReportExtension(ctx),
    filesReportExtension(ctx),
    channelsReportExtension(ctx),
  ]);
  return ctx;
}
