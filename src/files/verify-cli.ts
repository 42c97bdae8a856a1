import pino from 'pino';
import { loadConfig } from '../config.js';
import { createAppContext } from '../context.js';
import { verifyStoredFiles } from './verify.service.js';

/**
 * `npm run files:verify`: reads every stored file back against its SHA-256 (FILES_STORE: the
 * files folder or the database) and names the missing and damaged ones. Exit code 0 when all are
 * intact, 1 when not.
 */
const config = loadConfig();
const ctx = createAppContext(config, { logger: pino({ level: 'warn' }) });
try {
  const report = await verifyStoredFiles(ctx.db, ctx.fileStore);
  const where = config.files.store === 'fs' ? config.files.dir : 'the database';
  console.log(`Checked ${report.checked} stored files in ${where}.`);
  for (const f of report.missing) console.log(`MISSING: stored file ${f.id} (${f.sha256})`);
  for (const f of report.damaged)
    console.log(`DAMAGED: stored file ${f.id} (${f.sha256}) does not match its checksum`);
  if (report.orphans > 0)
    console.log(
      `${report.orphans} stored objects belong to no file (interrupted uploads; harmless).`,
    );
  const bad = report.missing.length + report.damaged.length;
  if (bad === 0) console.log('All stored files are intact.');
  process.exitCode = bad === 0 ? 0 : 1;
} finally {
  await ctx.destroy();
}
