import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { verifyChains } from './hash-chain.js';

/**
 * `npm run audit:verify`: walks the hash chains of dossier events and audit events and names
 * the first broken link, on either engine. Exit code 0 when intact, 1 when not.
 */
const config = loadConfig();
const database = openDatabase(config);
const { db } = database;
try {
  const { broken, checked } = await verifyChains(db);
  console.log(
    `Checked ${checked.dossierEvents} dossier events and ${checked.auditEvents} audit events.`,
  );
  if (broken.length === 0) console.log('All chains are intact.');
  for (const b of broken) {
    const where =
      b.table === 'dossier_events'
        ? `dossier event ${b.id} (dossier id ${b.dossierId})`
        : `audit event ${b.id}`;
    const why =
      b.reason === 'content_changed'
        ? 'its content was changed after it was written'
        : 'the row before it was changed, removed or inserted out of band';
    console.log(`BROKEN: ${where}: ${why}.`);
  }
  process.exitCode = broken.length === 0 ? 0 : 1;
} finally {
  await database.destroy();
}
