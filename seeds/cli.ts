import { loadConfig } from '../src/config.js';
import { seedDatabase } from './index.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';

/** `npm run seed`: migrates, then inserts the master data (and demo accounts) that are missing. */
const config = loadConfig();
const database = openDatabase(config);
try {
  await migrateToLatest(database.db);
  const result = await seedDatabase(database.db, {
    now: new Date(),
    demoAccounts: config.seedDemoAccounts,
  });
  console.log('Inserted:', result.inserted);
  for (const a of result.createdAccounts)
    console.log(`Demo account ${a.username} (${a.role}), password: ${a.password}`);
} finally {
  await database.destroy();
}
