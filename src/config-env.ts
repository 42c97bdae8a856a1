import { z } from 'zod';

/**
 * The environment variables the server reads, with their defaults and limits (docs/OPERATIONS.md
 * and the README list them); `loadConfig` (config.ts) turns them into the typed configuration.
 */
const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 17:00');

export const POSTGRES_URL = /^postgres(ql)?:\/\/.+/;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envSchema = z.object({
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
  // How long a session lives after the officer's last request (it slides on every request).
  SESSION_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(20, 'must be at least 20 seconds')
    .max(7 * 86_400)
    .default(30 * 60),
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
  // Read-only connections on worker threads for the reports and exports (0: read on the main one).
  SQLITE_READ_WORKERS: z.coerce.number().int().min(0).max(16).default(2),
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
  PORTAL_SYNC_LEASE_S: z.coerce.number().min(1).max(3600).default(60),
  PORTAL_SYNC_LAG_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
  ONLINE_CHECK_HOURS: z.coerce.number().int().min(1).max(80).default(8),
  ONLINE_MAX_JSON_MB: z.coerce.number().int().min(1).max(512).default(40),
});
