import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { nodeArgs } from './js-build.js';

export interface ServerProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** Resolves when the server has written a log line containing `text`. */
  logged(text: string): Promise<void>;
  /** Its last `count` lines of log and error output, for a failing test's message. */
  recentOutput(count?: number): string;
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
  const child = spawn(process.execPath, nodeArgs('src/main.ts'), {
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
  const lines: string[] = [];
  const waiting = new Set<{ text: string; resolve: () => void }>();
  let serving = 0;
  let nowServing!: () => void;
  const allServing = new Promise<void>((resolve) => (nowServing = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    if (line.startsWith('{') && line.includes('is serving') && ++serving === servingLines)
      nowServing();
    for (const w of waiting)
      if (line.includes(w.text)) {
        waiting.delete(w);
        w.resolve();
      }
  });
  const logged = (text: string) =>
    lines.some((l) => l.includes(text))
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          waiting.add({ text, resolve });
          void exited.then((code) =>
            reject(new Error(`server exited with ${code} before logging "${text}"`)),
          );
        });
  // A net for a server that never starts, not a speed check: a start takes about a second on a
  // quiet machine, a few on a busy one.
  const stuck = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    await Promise.race([
      allServing,
      exited.then((code) => {
        throw new Error(`server exited with ${code} before serving: ${stderr.join('')}`);
      }),
    ]);
  } finally {
    clearTimeout(stuck);
  }
  const recentOutput = (count = 20) =>
    [...lines.slice(-count), ...stderr.join('').split('\n').slice(-count)].join('\n');
  return { baseUrl: `http://127.0.0.1:${port}`, port, child, exited, logged, recentOutput };
}

/**
 * A POST whose headers the server has taken (it answered `100 Continue`) and whose body waits for
 * send(): a request the server holds in flight for as long as the test wants.
 */
export async function postHeldAtItsBody(
  url: string,
  headers: Record<string, string>,
): Promise<{ send(body: string): Promise<{ status: number; body: string }> }> {
  // One connection of its own, closed after the answer (a kept-alive one would hold a stopping
  // server until its keep-alive timeout).
  const req = http.request(url, {
    method: 'POST',
    agent: false,
    headers: { ...headers, expect: '100-continue', connection: 'close' },
  });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  await new Promise<void>((resolve, reject) => {
    req.once('continue', resolve);
    answered.then(
      (res) => reject(new Error(`answered ${res.status} before the body: ${res.body}`)),
      reject,
    );
  });
  return {
    send(body) {
      req.end(body);
      return answered;
    },
  };
}
