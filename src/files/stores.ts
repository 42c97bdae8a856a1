import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { DatabaseFileStore } from './database-store.js';
import type { FileStore } from './file-store.js';
import { FsFileStore } from './fs-store.js';

/** The store FILES_STORE names: a folder (FILES_DIR) or the database itself. */
export function createFileStore(config: Config, db: Db, clock: Clock): FileStore {
  return config.files.store === 'database'
    ? new DatabaseFileStore(db, () => clock.now())
    : new FsFileStore(config.files.dir);
}
