import { spawn } from 'node:child_process';
import { postgresBinDir, startPgCluster, type PgCluster } from './pg-cluster.js';

/**
 * The PostgreSQL half of `npm test`: the vitest project `postgres` against TEST_DATABASE_URL, or,
 * when that is unset, against a throwaway cluster of the installed PostgreSQL (Debian's
 * `postgresql` package). Without either it says so and skips, unless REQUIRE_POSTGRES=1 (CI).
 */
let cluster: PgCluster | null = null;
let url = process.env.TEST_DATABASE_URL;
if (!url) {
  if (!postgresBinDir()) {
    const message =
      'PostgreSQL suite skipped: TEST_DATABASE_URL is not set and PostgreSQL is not installed (apt-get install -y postgresql).';
    if (process.env.REQUIRE_POSTGRES === '1') {
      console.error(message);
      process.exit(1);
    }
    console.log(message);
    process.exit(0);
  }
  cluster = await startPgCluster();
  url = cluster.url;
  console.log(`PostgreSQL suite: throwaway cluster on port ${cluster.port}`);
}
const child = spawn('npx', ['vitest', 'run', '--project', 'postgres', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: url },
});
const stop = () => cluster?.remove();
process.on('SIGINT', () => child.kill('SIGINT'));
const code = await new Promise<number>((resolve) =>
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
);
stop();
process.exit(code);
