import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A zone far from Vietnam's, with daylight saving: any code that leans on the machine's
    // zone instead of UTC+7 fails here.
    env: { TZ: 'America/Los_Angeles', NODE_ENV: 'test' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
