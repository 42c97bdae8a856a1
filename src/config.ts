import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

import { envSchema, POSTGRES_URL } from './config-env.js';

/** Thrown when the environment does not describe a runnable installation. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** 'sqlite' for file: and :memory: URLs (the embedded default), 'postgres' for postgres:// ones. */
  databaseEngine: 'sqlite' | 'postgres';
  /** Path of the SQLite file, or ':memory:'; empty on PostgreSQL. */
  databasePath: string;
  /** The postgres:// URL; empty on SQLite. */
  databaseUrl: string;
  /** A streaming replica for the citizen lookup, reports and exports (PostgreSQL only), or null. */
  databaseReadUrl: string | null;
  /** Connections per process in the PostgreSQL pool. */
  databasePoolSize: number;
  /** Worker processes `npm start` runs (node:cluster); 1 runs the server in the main process. */
  webConcurrency: number;
  /**
   * Where rate-limit windows live: 'memory' (one process) or 'database' (shared by every process
   * on the database). Database when the engine is PostgreSQL or WEB_CONCURRENCY > 1.
   */
  sharedState: 'memory' | 'database';
  logLevel: string;
  sessionSecret: string;
  /** Keys the stored lookup-key hashes (HMAC): LOOKUP_KEY_SECRET, else SESSION_SECRET; fixed in development. */
  lookupKeySecret: string;
  /** Whether the session secret was generated for this process only (development). */
  sessionSecretGenerated: boolean;
  /** A session ends this long after its last request (SESSION_IDLE_SECONDS, default 12 hours). */
  sessionIdleSeconds: number;
  publicBaseUrl: string;
  trustProxy: boolean;
  /** Opens GET /metrics to a scraper elsewhere (Bearer); without it only this machine may read it. */
  metricsToken: string | null;
  officeClosingTime: string;
  sameDayCutoffTime: string;
  supplementClock: 'restart' | 'pause';
  /** full: a commit survives power loss; normal (WAL): survives a process crash, ~30× cheaper commits. */
  sqliteSynchronous: 'full' | 'normal';
  /** Worker threads that read the SQLite file for the reports and exports (0: the main connection). */
  sqliteReadWorkers: number;
  seedDemoAccounts: boolean;
  /** Two weeks of demo dossiers, made once when the demo accounts are first created. */
  seedDemoDossiers: boolean;
  loginRateLimitPer15Min: number;
  lookupRateLimitPerMin: number;
  /** Anonymous queue writes (online bookings, the phone page's SMS request) per client address per hour. */
  bookingRateLimitPerHour: number;
  lookupCodeRateLimitPerHour: number;
  /** Wrong lookups one client address may make in an hour before it is refused outright. */
  lookupClientMissLimitPerHour: number;
  /**
   * Online booking (docs/SECURITY.md "The queue's public pages"): how long an unconfirmed hold
   * keeps its place, how many bookings one client address and one phone may hold for an office's
   * day, and how many unconfirmed holds an office's day may have at once.
   */
  booking: Readonly<{
    holdMinutes: number;
    perAddressPerDay: number;
    perPhonePerDay: number;
    holdsPerOfficeDay: number;
  }>;
  /**
   * The public event streams of one process: at most `max`, of which `reservedDisplays` are kept
   * for registered call displays and `reservedPhones` for phone pages of live tickets; anonymous
   * streams take at most `perClient` per client address (the address the server trusts).
   */
  queueStreams: Readonly<{
    max: number;
    perClient: number;
    reservedDisplays: number;
    reservedPhones: number;
  }>;
  /** Writes (POST and other unsafe methods) per account or token per minute. */
  writeRateLimitPerMin: number;
  /** The tracking-book reader runs in a child process with this heap and this time limit. */
  importWorkerMemoryMb: number;
  importWorkerTimeoutMs: number;
  /** An uploaded XLSX whose entries unpack to more than this is refused before parsing. */
  importMaxUnpackedBytes: number;
  /** Closed dossiers older than this are anonymised by `npm run retention`; lookup counts dropped. */
  retentionClosedDossierDays: number;
  retentionLookupEventDays: number;
  /** Where uploaded tracking books wait between the check and the import (at most a day). */
  importUploadDir: string;
  importMaxUploadBytes: number;
  /** Messages to citizens (docs/ARCHITECTURE.md "Notifications"); a channel without settings uses the log channel. */
  notify: Readonly<{
    smsGatewayUrl: string | null;
    smsGatewayToken: string | null;
    smsGatewayFormat: 'json' | 'form';
    zaloZnsUrl: string | null;
    zaloZnsToken: string | null;
    smtpUrl: string | null;
    mailFrom: string;
    quietHours: string;
    retryHours: number;
    dailyCapPerPhone: number;
    /** inline: the server process drains the outbox; off: `npm run worker` does. */
    sender: 'inline' | 'off';
  }>;
  /** Fee payments (docs/API.md "Payments"): who may confirm a payment, and how fresh a callback must be. */
  payments: Readonly<{
    /** Each provider's name (in the callback's path), what its confirmation means, and its HMAC secret. */
    providers: readonly Readonly<{ name: string; method: 'transfer' | 'online'; secret: string }>[];
    callbackWindowSeconds: number;
  }>;
  /** Scans of dossier components and results (src/files, docs/ARCHITECTURE.md "Files"). */
  files: Readonly<{
    /** fs: a folder on this machine (SQLite's default); database: chunks in PostgreSQL (its default). */
    store: 'fs' | 'database';
    /** The files folder (fs store), and its `tmp/` where uploads are spooled (both stores). */
    dir: string;
    maxBytes: number;
    maxPages: number;
    /** Bytes an office may store, unless its row in file_quotas says otherwise. */
    officeQuotaBytes: number;
  }>;
  /** Status to the national portal (src/online): the log adapter without a URL. */
  portal: Readonly<{
    url: string | null;
    /** Sent as a bearer token, when set. */
    token: string | null;
    /** The `dstcode` header the adapter wants (the receiving system's code). */
    dstcode: string;
    timeoutMs: number;
    /** inline: this process sends (several may; each dossier is leased); off: `npm run portal-sync`. */
    sender: 'inline' | 'off';
    /** The longest wait between two attempts of a failing dossier. */
    retryMaxMs: number;
    /** How long a sender holds a dossier's stream before another may take it (it died). */
    leaseMs: number;
    /** The reconciliation report's N: a change not on the portal after this many minutes. */
    lagMinutes: number;
  }>;
  /** The online inbox: the check's window in working hours, and the largest JSON delivery. */
  online: Readonly<{ checkHours: number; maxJsonBytes: number }>;
}>;

/**
 * Reads and validates the environment. Throws a ConfigError whose message names every bad
 * variable, so an operator knows exactly what to fix.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset": docker-compose and .env files often write VAR= .
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  SESSION_SECRET: required when NODE_ENV=production (at least 32 characters)',
    );
  }
  const databaseEngine = POSTGRES_URL.test(e.DATABASE_URL) ? 'postgres' : 'sqlite';
  const databasePath =
    databaseEngine === 'postgres'
      ? ''
      : e.DATABASE_URL === ':memory:'
        ? ':memory:'
        : e.DATABASE_URL.slice('file:'.length);
  if (e.DATABASE_READ_URL && databaseEngine !== 'postgres') {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_READ_URL: a read replica needs DATABASE_URL to be a postgres:// URL',
    );
  }
  const port = e.PORT;
  const paymentProviders = (e.PAYMENT_PROVIDERS ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => {
      const [name, method] = entry.split(':') as [string, 'transfer' | 'online'];
      const variable = `PAYMENT_SECRET_${name.toUpperCase().replace(/-/g, '_')}`;
      const secret = cleaned[variable] ?? '';
      if (secret.length < 32)
        throw new ConfigError(
          `Invalid configuration:\n  ${variable}: the secret of payment provider ${name}, at least 32 characters`,
        );
      return Object.freeze({ name, method, secret });
    });
  return Object.freeze({
    env: e.NODE_ENV,
    port,
    host: e.HOST,
    databaseEngine,
    databasePath,
    databaseUrl: databaseEngine === 'postgres' ? e.DATABASE_URL : '',
    databaseReadUrl: e.DATABASE_READ_URL ?? null,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    webConcurrency: e.WEB_CONCURRENCY,
    sharedState:
      e.SHARED_STATE ??
      (databaseEngine === 'postgres' || e.WEB_CONCURRENCY > 1 ? 'database' : 'memory'),
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    sessionSecret: e.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionSecretGenerated: !e.SESSION_SECRET,
    sessionIdleSeconds: e.SESSION_IDLE_SECONDS,
    // A development install keeps its receipts' keys across restarts without any setting.
    lookupKeySecret:
      e.LOOKUP_KEY_SECRET ??
      e.SESSION_SECRET ??
      'development-only lookup-key secret, never for production',
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN ?? null,
    officeClosingTime: e.OFFICE_CLOSING_TIME,
    sameDayCutoffTime: e.SAME_DAY_CUTOFF_TIME,
    supplementClock: e.SUPPLEMENT_CLOCK,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    sqliteReadWorkers: e.SQLITE_READ_WORKERS,
    seedDemoAccounts: e.NODE_ENV === 'production' ? false : (e.SEED_DEMO_ACCOUNTS ?? true),
    seedDemoDossiers:
      e.NODE_ENV === 'production' ? false : (e.SEED_DEMO_DOSSIERS ?? e.SEED_DEMO_ACCOUNTS ?? true),
    loginRateLimitPer15Min: e.LOGIN_RATE_LIMIT_PER_15_MIN,
    lookupRateLimitPerMin: e.LOOKUP_RATE_LIMIT_PER_MIN,
    bookingRateLimitPerHour: e.BOOKING_RATE_LIMIT_PER_HOUR,
    lookupCodeRateLimitPerHour: e.LOOKUP_CODE_RATE_LIMIT_PER_HOUR,
    lookupClientMissLimitPerHour: e.LOOKUP_CLIENT_MISS_LIMIT_PER_HOUR,
    writeRateLimitPerMin: e.WRITE_RATE_LIMIT_PER_MIN,
    booking: Object.freeze({
      holdMinutes: e.BOOKING_HOLD_MINUTES,
      perAddressPerDay: e.BOOKING_PER_ADDRESS_PER_DAY,
      perPhonePerDay: e.BOOKING_PER_PHONE_PER_DAY,
      holdsPerOfficeDay: e.BOOKING_HOLDS_PER_OFFICE_DAY,
    }),
    queueStreams: Object.freeze({
      max: e.QUEUE_STREAMS_MAX,
      perClient: e.QUEUE_STREAMS_PER_CLIENT,
      reservedDisplays: Math.min(e.QUEUE_STREAMS_RESERVED_DISPLAYS, e.QUEUE_STREAMS_MAX),
      reservedPhones: Math.min(
        e.QUEUE_STREAMS_RESERVED_PHONES,
        Math.max(0, e.QUEUE_STREAMS_MAX - e.QUEUE_STREAMS_RESERVED_DISPLAYS),
      ),
    }),
    importWorkerMemoryMb: e.IMPORT_WORKER_MEMORY_MB,
    importWorkerTimeoutMs: e.IMPORT_WORKER_TIMEOUT_S * 1000,
    importMaxUnpackedBytes: e.IMPORT_MAX_UNPACKED_MB * 1024 * 1024,
    retentionClosedDossierDays: e.RETENTION_CLOSED_DOSSIER_DAYS,
    retentionLookupEventDays: e.RETENTION_LOOKUP_EVENT_DAYS,
    importUploadDir: path.resolve(e.IMPORT_UPLOAD_DIR ?? path.join(os.tmpdir(), 'motcua-imports')),
    importMaxUploadBytes: e.IMPORT_MAX_UPLOAD_MB * 1024 * 1024,
    notify: Object.freeze({
      smsGatewayUrl: e.SMS_GATEWAY_URL ?? null,
      smsGatewayToken: e.SMS_GATEWAY_TOKEN ?? null,
      smsGatewayFormat: e.SMS_GATEWAY_FORMAT,
      zaloZnsUrl: e.ZALO_ZNS_URL ?? null,
      zaloZnsToken: e.ZALO_ZNS_TOKEN ?? null,
      smtpUrl: e.SMTP_URL ?? null,
      mailFrom: e.MAIL_FROM ?? 'Mot Cua <no-reply@localhost>',
      // The one setting where empty means something: no quiet hours at all.
      quietHours:
        env.NOTIFY_QUIET_HOURS === '' || e.NOTIFY_QUIET_HOURS === 'off' ? '' : e.NOTIFY_QUIET_HOURS,
      retryHours: e.NOTIFY_RETRY_HOURS,
      dailyCapPerPhone: e.NOTIFY_DAILY_CAP,
      sender: e.NOTIFY_SENDER,
    }),
    payments: Object.freeze({
      providers: Object.freeze(paymentProviders),
      callbackWindowSeconds: e.PAYMENT_CALLBACK_WINDOW_S,
    }),
    files: Object.freeze({
      store: e.FILES_STORE ?? (databaseEngine === 'postgres' ? 'database' : 'fs'),
      dir: path.resolve(
        e.FILES_DIR ??
          (databaseEngine === 'postgres'
            ? path.join('data', 'files')
            : databasePath === ':memory:'
              ? path.join(os.tmpdir(), 'motcua-files')
              : path.join(path.dirname(databasePath), 'files')),
      ),
      maxBytes: e.FILES_MAX_MB * 1024 * 1024,
      maxPages: e.FILES_MAX_PAGES,
      officeQuotaBytes: e.FILES_OFFICE_QUOTA_MB * 1024 * 1024,
    }),
    portal: Object.freeze({
      url: e.PORTAL_SYNC_URL ? e.PORTAL_SYNC_URL.replace(/\/+$/, '') : null,
      token: e.PORTAL_SYNC_TOKEN ?? null,
      dstcode: e.PORTAL_SYNC_DSTCODE ?? '',
      timeoutMs: Math.round(e.PORTAL_SYNC_TIMEOUT_S * 1000),
      sender: e.PORTAL_SYNC_SENDER,
      retryMaxMs: Math.round(e.PORTAL_SYNC_RETRY_MAX_S * 1000),
      leaseMs: Math.round(e.PORTAL_SYNC_LEASE_S * 1000),
      lagMinutes: e.PORTAL_SYNC_LAG_MINUTES,
    }),
    online: Object.freeze({
      checkHours: e.ONLINE_CHECK_HOURS,
      maxJsonBytes: e.ONLINE_MAX_JSON_MB * 1024 * 1024,
    }),
  });
}
