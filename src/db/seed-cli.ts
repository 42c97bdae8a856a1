import { loadConfig } from '../config.js';
import { seedDatabase } from '../../seeds/index.js';
import { createDb, openSqlite } from './database.js';
import { migrateToLatest } from './migrate.js';

/** `npm run seed`: migrates, then inserts the master data (and demo accounts) that are missing. */
const config = loadConfig();
const db = createDb(openSqlite(config.databasePath));
try {
  await migrateToLatest(db);
  const result = await seedDatabase(db, { now: new Date(), demoAccounts: config.seedDemoAccounts });
  console.log('Inserted:', result.inserted);
  for (const a of result.createdAccounts) console.log(`Demo account ${a.username} (${a.role}), password: ${a.password}`);
} finally {
  await db.destroy();
}
