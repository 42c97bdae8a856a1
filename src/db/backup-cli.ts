import { loadConfig } from '../config.js';
import { openSqlite } from './database.js';
import { backupDatabase } from './backup.js';

/** `npm run backup -- <file>`: online backup of DATABASE_URL while the server runs. */
const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- <backup file>');
  process.exit(2);
}
const config = loadConfig();
if (config.databasePath === ':memory:') {
  console.error('DATABASE_URL is :memory:; there is nothing on disk to back up');
  process.exit(2);
}
const sqlite = openSqlite(config.databasePath);
try {
  const { pages } = await backupDatabase(sqlite, target);
  console.log(`Backed up ${config.databasePath} to ${target} (${pages} pages, integrity ok).`);
} finally {
  sqlite.close();
}
