import pg from 'pg';
import { createSeededPostgresTemplate, PG_TEMPLATE_ENV } from './seeded-template.js';

/**
 * The PostgreSQL project's run-wide setup: one migrated, seeded template database on the server
 * of TEST_DATABASE_URL, copied for every test (test-app.ts), dropped at the end of the run.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl || process.env[PG_TEMPLATE_ENV]) return undefined;
  const name = `motcua_tpl_run_${process.pid}`;
  await dropDatabase(serverUrl, name); // left by a run of this pid that was killed
  await createSeededPostgresTemplate(serverUrl, name);
  process.env[PG_TEMPLATE_ENV] = name;
  return async () => {
    delete process.env[PG_TEMPLATE_ENV];
    await dropDatabase(serverUrl, name);
  };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
