import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

export async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real server (src/main.ts, as `npm start` runs it) on loopback with the given
 * database (a SQLite file path or a postgres:// URL), and waits for `servingLines` "serving" log
 * lines (one per worker process).
 */
export async function spawnServer(
  database: string,
  env: Record<string, string> = {},
  servingLines = 1,
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: database.startsWith('postgres') ? database : `file:${database}`,
      LOG_LEVEL: 'info',
      SEED_DEMO_DOSSIERS: 'false',
      SESSION_SECRET: 's'.repeat(40),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const stderr: string[] = [];
  child.stderr!.on('data', (d) => stderr.push(String(d)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 30 s: ${stderr.join('')}`)),
      30_000,
    );
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr.join('')}`)));
    let serving = 0;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{') && line.includes('is serving') && ++serving === servingLines) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { baseUrl: `http://127.0.0.1:${port}`, port, child, exited };
}
