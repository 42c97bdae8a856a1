import { loadConfig } from '../config.js';
import { createDb, openSqlite } from './database.js';
import { migrateToLatest } from './migrate.js';

/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
const config = loadConfig();
const db = createDb(openSqlite(config.databasePath));
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
} finally {
  await db.destroy();
}
