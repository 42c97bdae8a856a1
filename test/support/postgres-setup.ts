import { afterAll } from 'vitest';
import { dropPostgresTestDatabases } from './test-app.js';

// The PostgreSQL project's setup file: each test file removes the databases it made.
afterAll(async () => {
  await dropPostgresTestDatabases();
});
