import { spawn } from 'node:child_process';
import path from 'node:path';
import { inCi } from './ci.js';
import { postgresBinDir, startPgCluster, type PgCluster } from './pg-cluster.js';

/**
 * The test run of `npm test` (both vitest projects, in one run) and of `npm run test:postgres`
 * (`--project postgres`): vitest with a PostgreSQL server at hand for the `postgres` project,
 * TEST_DATABASE_URL when set, otherwise a throwaway cluster of the installed PostgreSQL
 * (Debian's `postgresql` package), removed at the end.
 *
 * Without PostgreSQL the `postgres` project cannot run: in CI (CI=true, or REQUIRE_POSTGRES=1)
 * that fails the run; elsewhere it says so, runs the rest, and says so again at the end.
 *
 * Both projects share one pool of vitest workers, so a PostgreSQL file waiting on its server
 * leaves the CPU to a SQLite file instead of the run waiting for one half, then the other.
 */
const root = path.resolve(import.meta.dirname, '../..');
let args = process.argv.slice(2);
const projects = args.flatMap((a, i) =>
  a === '--project' ? [args[i + 1]] : a.startsWith('--project=') ? [a.slice(10)] : [],
);
const wantsPostgres = projects.length === 0 || projects.includes('postgres');
const required = process.env.REQUIRE_POSTGRES === '1' || inCi();

let skipped: string | null = null;
let cluster: PgCluster | null = null;
let url = process.env.TEST_DATABASE_URL;
if (wantsPostgres && !url) {
  if (!postgresBinDir()) {
    skipped =
      'PostgreSQL suite SKIPPED: TEST_DATABASE_URL is not set and PostgreSQL is not installed (apt-get install -y postgresql).';
    if (required) {
      console.error(`${skipped.replace('SKIPPED', 'cannot run')} In CI that is a failure.`);
      process.exit(1);
    }
    console.log(`\n*** ${skipped} ***\n`);
    if (projects.length > 0 && projects.every((p) => p === 'postgres')) process.exit(0);
    if (projects.length === 0) args = ['--project', 'sqlite', ...args];
    else args = args.filter((a, i) => a !== 'postgres' || args[i - 1] !== '--project');
  } else {
    // The suite's own cluster: nothing in it must survive a crash of the machine, so it does not
    // wait for the disk (fsync, synchronous_commit and full-page writes off; every copy of the
    // template and every commit was waiting on it). The test that restarts a server under load
    // runs a cluster of its own with the defaults (test/durability/postgres.test.ts).
    cluster = await startPgCluster({
      settings: ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'],
    });
    url = cluster.url;
    console.log(`PostgreSQL suite: throwaway cluster on port ${cluster.port}`);
  }
}
const child = spawn(
  process.execPath,
  [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...args],
  { stdio: 'inherit', env: { ...process.env, ...(url ? { TEST_DATABASE_URL: url } : {}) } },
);
process.on('SIGINT', () => child.kill('SIGINT'));
process.on('SIGTERM', () => child.kill('SIGTERM'));
const code = await new Promise<number>((resolve) =>
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
);
cluster?.remove();
if (skipped) console.log(`\n*** ${skipped} ***\n`);
process.exit(code);
