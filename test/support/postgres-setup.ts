import { afterAll } from 'vitest';

// The PostgreSQL project's setup file: each test file removes the databases it made. test-app.ts
// is imported only when the file ends (the module the file itself used): imported here up front,
// it would load the app before the file's own vi.mock calls could replace what the app imports.
afterAll(async () => {
  const { dropPostgresTestDatabases } = await import('./test-app.js');
  await dropPostgresTestDatabases();
});
