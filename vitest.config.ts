import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// A zone far from Vietnam's, with daylight saving: any code that leans on the machine's zone
// instead of UTC+7 fails here.
const env = { TZ: 'America/Los_Angeles', NODE_ENV: 'test' };

/**
 * Two projects: the whole suite on SQLite, and the suites that touch the database (HTTP,
 * database, durability, bad input) again on PostgreSQL. `npm test` runs both in one run with a
 * PostgreSQL server at hand (test/support/run-suite.ts).
 *
 * Timeouts are a net for a test that hangs, never a speed check. On this 2-core machine with a
 * load average of 11–13 (other suites running beside this one) the slowest test under the
 * default took 29 s (two server workers taking 200 intakes), under a third of it; the few slower
 * by nature set their own (the browser suites, the hostile spreadsheets: 120 s).
 */
export default defineConfig({
  test: {
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // One worker per core, at least two (vitest's default leaves a core to its main process: one
    // worker on 2 cores). A test file waits much of its time on something else (the PostgreSQL
    // server, a server process, Chromium); a second worker's file runs meanwhile.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          env,
          globalSetup: ['test/support/global-setup.ts', 'test/support/sqlite-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [
            'test/http/**/*.test.ts',
            'test/db/**/*.test.ts',
            'test/durability/**/*.test.ts',
          ],
          env: { ...env, TEST_ENGINE: 'postgres' },
          globalSetup: ['test/support/global-setup.ts', 'test/support/postgres-global-setup.ts'],
          setupFiles: ['test/support/postgres-setup.ts'],
        },
      },
    ],
  },
});
