import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server-process.js';

/**
 * A throwaway PostgreSQL cluster from Debian's packages: initdb in a temporary folder, a server
 * on a free loopback port, trust authentication, removed by stop(). Run as the `postgres` user
 * when we are root (the server refuses to run as root).
 */
export interface PgCluster {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server (fast: rolls back open transactions, as a restart by an operator does). */
  stopServer(mode?: 'fast' | 'immediate'): void;
  startServer(): void;
  /** Stops the server and removes its files. */
  remove(): void;
}

export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? path.join(root, versions.at(-1)!, 'bin') : null;
}

function asPostgresUser(bin: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  const [cmd, fullArgs] = root ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, fullArgs, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`${path.basename(bin)} failed (${r.status}): ${r.stderr || r.stdout}`);
}

export async function startPgCluster(
  options: {
    maxConnections?: number;
    sharedBuffers?: string;
    /** More server settings, each `name=value`. */
    settings?: string[];
  } = {},
): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:', dir]);
  const dataDir = path.join(dir, 'data');
  asPostgresUser(path.join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const log = path.join(dir, 'server.log');
  const serverOptions = (port: number) =>
    [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      `-c max_connections=${options.maxConnections ?? 400}`,
      `-c shared_buffers=${options.sharedBuffers ?? '256MB'}`,
      ...(options.settings ?? []).map((s) => `-c ${s}`),
    ].join(' ');
  const startOn = (port: number) => {
    try {
      asPostgresUser(path.join(bin, 'pg_ctl'), [
        '-D',
        dataDir,
        '-o',
        serverOptions(port),
        '-l',
        log,
        '-w',
        '-t',
        '60',
        'start',
      ]);
    } catch (err) {
      // pg_ctl only says "could not start server": the reason is in the server's log.
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${(err as Error).message}\nserver log:\n${tail}`, { cause: err });
    }
  };
  const stop = (mode: 'fast' | 'immediate' = 'fast') =>
    asPostgresUser(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', mode, '-w', 'stop']);
  // A free port can be taken between the probe and the server's start (another suite starting
  // a server beside this one): one more try, on another port.
  let port = await freePort();
  try {
    startOn(port);
  } catch {
    port = await freePort();
    startOn(port);
  }
  const start = () => startOn(port);
  let removed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stopServer: stop,
    startServer: start,
    remove() {
      if (removed) return;
      removed = true;
      try {
        stop('immediate');
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
