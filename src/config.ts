import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Thrown when the environment does not describe a runnable installation. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 17:00');

const POSTGRES_URL = /^postgres(ql)?:\/\/.+/;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .default('file:./data/motcua.db')
    .refine((v) => v === ':memory:' || /^file:.+/.test(v) || POSTGRES_URL.test(v), {
      message:
        'must be :memory:, file:<path> (SQLite, e.g. file:./data/motcua.db) or postgres://user:password@host:5432/database',
    }),
  DATABASE_READ_URL: z
    .string()
    .refine((v) => POSTGRES_URL.test(v), {
      message: 'must be a postgres:// URL of a streaming replica',
    })
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1, 'must be at least 1').max(200).default(10),
  WEB_CONCURRENCY: z.coerce.number().int().min(1, 'must be at least 1').max(64).default(1),
  SHARED_STATE: z.enum(['memory', 'database']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters long').optional(),
  LOOKUP_KEY_SECRET: z.string().min(32, 'must be at least 32 characters long').optional(),
  PUBLIC_BASE_URL: z
    .string()
    .url('must be an absolute URL such as https://motcua.example.vn')
    .optional(),
  TRUST_PROXY: booleanFlag.default(false),
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters long').optional(),
  OFFICE_CLOSING_TIME: timeOfDay.default('17:00'),
  SAME_DAY_CUTOFF_TIME: timeOfDay.default('15:00'),
  SUPPLEMENT_CLOCK: z.enum(['restart', 'pause']).default('restart'),
  SQLITE_SYNCHRONOUS: z
    .enum(['full', 'normal', 'FULL', 'NORMAL'])
    .default('full')
    .transform((v) => v.toLowerCase() as 'full' | 'normal'),
  SEED_DEMO_ACCOUNTS: booleanFlag.optional(),
  SEED_DEMO_DOSSIERS: booleanFlag.optional(),
  LOGIN_RATE_LIMIT_PER_15_MIN: z.coerce.number().int().min(1).default(50),
  LOOKUP_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(20),
  BOOKING_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(10),
  BOOKING_HOLD_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
  BOOKING_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(1).max(1000).default(4),
  BOOKING_PER_PHONE_PER_DAY: z.coerce.number().int().min(1).max(100).default(3),
  BOOKING_HOLDS_PER_OFFICE_DAY: z.coerce.number().int().min(1).max(10_000).default(8),
  QUEUE_STREAMS_MAX: z.coerce.number().int().min(10).max(1_000_000).default(5000),
  QUEUE_STREAMS_PER_CLIENT: z.coerce.number().int().min(1).max(10_000).default(10),
  QUEUE_STREAMS_RESERVED_DISPLAYS: z.coerce.number().int().min(1).max(100_000).default(100),
  QUEUE_STREAMS_RESERVED_PHONES: z.coerce.number().int().min(0).max(100_000).default(1000),
  LOOKUP_CODE_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(10),
  LOOKUP_CLIENT_MISS_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(30),
  WRITE_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(600),
  IMPORT_WORKER_MEMORY_MB: z.coerce.number().int().min(16).max(8192).default(512),
  IMPORT_WORKER_TIMEOUT_S: z.coerce.number().int().min(1).max(86_400).default(600),
  IMPORT_MAX_UNPACKED_MB: z.coerce.number().int().min(1).max(65_536).default(1024),
  RETENTION_CLOSED_DOSSIER_DAYS: z.coerce.number().int().min(30).default(3650),
  RETENTION_LOOKUP_EVENT_DAYS: z.coerce.number().int().min(1).default(365),
  IMPORT_UPLOAD_DIR: z.string().min(1).optional(),
  IMPORT_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(2048).default(100),
  SMS_GATEWAY_URL: z.url().optional(),
  SMS_GATEWAY_TOKEN: z.string().optional(),
  SMS_GATEWAY_FORMAT: z.enum(['json', 'form']).default('json'),
  ZALO_ZNS_URL: z.url().optional(),
  ZALO_ZNS_TOKEN: z.string().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).optional(),
  NOTIFY_QUIET_HOURS: z
    .string()
    .regex(
      /^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/,
      'HH:MM-HH:MM, or empty / off for none',
    )
    .default('21:00-07:00'),
  NOTIFY_RETRY_HOURS: z.coerce.number().min(0.01).max(168).default(4),
  NOTIFY_DAILY_CAP: z.coerce.number().int().min(1).max(100_000).default(5),
  NOTIFY_SENDER: z.enum(['inline', 'off']).default('inline'),
  PAYMENT_PROVIDERS: z
    .string()
    .regex(
      /^[a-z0-9-]{2,30}:(transfer|online)(,[a-z0-9-]{2,30}:(transfer|online))*$/,
      'name:transfer or name:online, comma-separated (e.g. bank:transfer,dvcqg:online)',
    )
    .optional(),
  PAYMENT_CALLBACK_WINDOW_S: z.coerce.number().int().min(30).max(3600).default(300),
  FILES_STORE: z.enum(['fs', 'database']).optional(),
  FILES_DIR: z.string().min(1).optional(),
  FILES_MAX_MB: z.coerce.number().int().min(1).max(1024).default(20),
  FILES_MAX_PAGES: z.coerce.number().int().min(1).max(2000).default(50),
  FILES_OFFICE_QUOTA_MB: z.coerce.number().int().min(1).default(51_200),
  PORTAL_SYNC_URL: z.url().optional(),
  PORTAL_SYNC_TOKEN: z.string().min(8).max(500).optional(),
  PORTAL_SYNC_DSTCODE: z.string().max(100).optional(),
  PORTAL_SYNC_TIMEOUT_S: z.coerce.number().min(0.1).max(300).default(15),
  PORTAL_SYNC_SENDER: z.enum(['inline', 'off']).default('inline'),
  PORTAL_SYNC_RETRY_MAX_S: z.coerce.number().min(0.1).max(86_400).default(1800),
  PORTAL_SYNC_LAG_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
  ONLINE_CHECK_HOURS: z.coerce.number().int().min(1).max(80).default(8),
  ONLINE_MAX_JSON_MB: z.coerce.number().int().min(1).max(512).default(40),
});

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
  publicBaseUrl: string;
  trustProxy: boolean;
  /** Opens GET /metrics to a scraper elsewhere (Bearer); without it only this machine may read it. */
  metricsToken: string | null;
  officeClosingTime: string;
  sameDayCutoffTime: string;
  supplementClock: 'restart' | 'pause';
  /** full: a commit survives power loss; normal (WAL): survives a process crash, ~30× cheaper commits. */
  sqliteSynchronous: 'full' | 'normal';
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
      lagMinutes: e.PORTAL_SYNC_LAG_MINUTES,
    }),
    online: Object.freeze({
      checkHours: e.ONLINE_CHECK_HOURS,
      maxJsonBytes: e.ONLINE_MAX_JSON_MB * 1024 * 1024,
    }),
  });
}
