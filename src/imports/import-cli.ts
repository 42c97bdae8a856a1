import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { accountByUsername, firstActiveAdmin } from '../accounts/accounts.service.js';
import { loadConfig } from '../config.js';
import { createAppContext } from '../context.js';
import { migrateToLatest } from '../db/migrate.js';
import { vi } from '../locale/vi.js';
import {
  checkTrackingBook,
  findImportOffice,
  importTrackingBook,
  isClean,
  type ImportReport,
} from './imports.service.js';
import { inLine } from './import-turns.js';

/**
 * `npm run import -- <file> --office <code> [--user <username>] [--check]`: the administration
 * page's import at the console, for files too large to upload. Checks first; imports only a
 * clean file, in one transaction. Exit code 0 when imported (or clean with --check), 1 when the
 * file has bad rows, 2 for a wrong command line.
 */
const usage =
  'usage: npm run import -- <file.csv|file.xlsx> --office <office code> [--user <admin username>] [--check]';
let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      office: { type: 'string' },
      user: { type: 'string' },
      check: { type: 'boolean', default: false },
    },
  });
}
try {
  args = parse();
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
const file = args.positionals[0];
if (!file || !args.values.office || args.positionals.length > 1) {
  console.error(usage);
  process.exit(2);
}

function print(report: ImportReport): void {
  console.log(C.file(report.fileName, report.fileSha256.slice(0, 16)));
  console.log(C.office(report.office.name, report.office.code));
  console.log(C.counts(report.rows, report.newRows, report.alreadyImported, report.errorRows));
  for (const e of report.fileErrors) console.log(C.fileError(e));
  for (const e of report.errors) console.log(C.rowError(e.row, e.messages.join(' ')));
  if (report.errorRows > report.errors.length)
    console.log(C.moreErrors(report.errorRows - report.errors.length));
}

const C = vi.imports.cli;
const ctx = createAppContext(loadConfig(), { logger: pino({ level: 'warn' }) });
try {
  await migrateToLatest(ctx.db);
  const office = await findImportOffice(ctx, { code: args.values.office }).catch(() => null);
  if (!office) {
    console.error(`no office with code ${args.values.office}`);
    process.exitCode = 2;
  } else {
    const source = { path: path.resolve(file), name: path.basename(file) };
    const account = args.values.user
      ? await accountByUsername(ctx, args.values.user)
      : await firstActiveAdmin(ctx);
    if (!account || !account.active) {
      console.error(
        args.values.user
          ? `no active account named ${args.values.user}`
          : 'no active admin account: pass --user <username>',
      );
      process.exitCode = 2;
    } else {
      const started = performance.now();
      // The import checks every row itself and writes nothing unless all are good.
      // In the installation's one line of parses, like the admin page (import-turns.ts).
      let told = -1;
      const report = await inLine(
        ctx,
        { kind: 'cli', accountId: account.id, officeId: office.id, fileName: source.name },
        () =>
          args.values.check
            ? checkTrackingBook(ctx, source, office)
            : importTrackingBook(
                ctx,
                { id: account.id, username: account.username, fullName: account.full_name },
                source,
                office,
              ),
        (ahead) => {
          if (ahead !== told) console.log(C.waiting(ahead));
          told = ahead;
        },
      );
      print(report);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
      if (!isClean(report)) console.log(C.notClean);
      else if (args.values.check) console.log(C.checkedClean);
      else console.log(C.imported(report.imported ?? 0, account.username));
      console.log(C.timing(seconds, peakMb));
      process.exitCode = isClean(report) ? 0 : 1;
    }
  }
} finally {
  await ctx.destroy();
}
