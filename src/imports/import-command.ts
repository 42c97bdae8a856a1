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
 * clean file, in one transaction. Returns the exit code: 0 when imported (or clean with
 * --check), 1 when the file has bad rows, 2 for a wrong command line. import-cli.ts runs it as
 * a process; tests call it in process.
 */
const usage =
  'usage: npm run import -- <file.csv|file.xlsx> --office <office code> [--user <admin username>] [--check]';
const C = vi.imports.cli;

export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
}

export async function runImportCommand(
  argv: string[],
  env: Record<string, string | undefined>,
  out: CommandOutput = console,
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        office: { type: 'string' },
        user: { type: 'string' },
        check: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    out.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  const file = args.positionals[0];
  if (!file || !args.values.office || args.positionals.length > 1) {
    out.error(usage);
    return 2;
  }

  const print = (report: ImportReport) => {
    out.log(C.file(report.fileName, report.fileSha256.slice(0, 16)));
    out.log(C.office(report.office.name, report.office.code));
    out.log(C.counts(report.rows, report.newRows, report.alreadyImported, report.errorRows));
    for (const e of report.fileErrors) out.log(C.fileError(e));
    for (const e of report.errors) out.log(C.rowError(e.row, e.messages.join(' ')));
    if (report.errorRows > report.errors.length)
      out.log(C.moreErrors(report.errorRows - report.errors.length));
  };

  const ctx = createAppContext(loadConfig(env), { logger: pino({ level: 'warn' }) });
  try {
    await migrateToLatest(ctx.db);
    const office = await findImportOffice(ctx, { code: args.values.office }).catch(() => null);
    if (!office) {
      out.error(`no office with code ${args.values.office}`);
      return 2;
    }
    const source = { path: path.resolve(file), name: path.basename(file) };
    const account = args.values.user
      ? await accountByUsername(ctx, args.values.user)
      : await firstActiveAdmin(ctx);
    if (!account || !account.active) {
      out.error(
        args.values.user
          ? `no active account named ${args.values.user}`
          : 'no active admin account: pass --user <username>',
      );
      return 2;
    }
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
        if (ahead !== told) out.log(C.waiting(ahead));
        told = ahead;
      },
    );
    print(report);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
    if (!isClean(report)) out.log(C.notClean);
    else if (args.values.check) out.log(C.checkedClean);
    else out.log(C.imported(report.imported ?? 0, account.username));
    out.log(C.timing(seconds, peakMb));
    return isClean(report) ? 0 : 1;
  } finally {
    await ctx.destroy();
  }
}
