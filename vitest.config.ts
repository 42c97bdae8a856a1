import { defineConfig } from 'vitest/config';

// A zone far from Vietnam's, with daylight saving: any code that leans on the machine's zone
// instead of UTC+7 fails here.
const env = { TZ: 'America/Los_Angeles', NODE_ENV: 'test' };

/**
 * Two projects: the whole suite on SQLite, and the suites that touch the database (HTTP,
 * database, durability, bad input) again on PostgreSQL (`npm test` runs the second when a server
 * is at hand: test/support/run-postgres-suite.ts).
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], env } },
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
          setupFiles: ['test/support/postgres-setup.ts'],
        },
      },
    ],
  },
});
