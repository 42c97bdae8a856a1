import http from 'node:http';

/**
 * Many event streams at once, as an attacker (or a hall of phones) would open them: each on its
 * own socket (no agent), from a chosen local address (127.0.0.x: every loopback address reaches a
 * server on 127.0.0.1) and with chosen headers (X-Forwarded-For behind a trusted proxy). A
 * stream counts as held once its first event is not `busy`; a `busy` answer (the server refused
 * it and ends it) counts as refused. Held streams stay open until `close`.
 */
export interface Flood {
  held: number;
  busy: number;
  /** The reasons the refused streams were given (client: the address's share is used; full). */
  reasons: Record<string, number>;
  failed: number;
  /** The data of each held stream's first event. */
  firstData: unknown[];
  close(): void;
}

export interface StreamOptions {
  localAddress?: string;
  headers?: Record<string, string>;
  /** Called with every event's data of a held stream (the first one included). */
  onData?: (data: any) => void;
}

export type StreamOutcome =
  | { kind: 'held'; data: unknown; request: http.ClientRequest }
  | { kind: 'busy'; reason: string }
  | { kind: 'failed'; error: string };

/** Opens one stream and resolves with what its first event said (or that it failed). */
export function openOne(url: string, options: StreamOptions = {}): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: StreamOutcome) => {
      if (settled) return;
      settled = true;
      if (outcome.kind !== 'held') req.destroy();
      resolve(outcome);
    };
    const req = http.get(
      url,
      {
        agent: false,
        localAddress: options.localAddress,
        headers: { accept: 'text/event-stream', ...options.headers },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return done({ kind: 'failed', error: `status ${res.statusCode}` });
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const lines = event.split('\n');
            const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
            if (!data.length) continue;
            const parsed = JSON.parse(data.join('\n')) as Record<string, unknown>;
            if (lines.includes('event: busy'))
              return done({ kind: 'busy', reason: String(parsed.reason) });
            options.onData?.(parsed);
            done({ kind: 'held', data: parsed, request: req });
          }
        });
        res.on('end', () => done({ kind: 'failed', error: 'ended without an event' }));
      },
    );
    req.on('error', (err) => done({ kind: 'failed', error: err.message }));
    req.setTimeout(30_000, () => done({ kind: 'failed', error: 'timeout' }));
  });
}

/** Opens `count` streams, `parallel` at a time, each from `options(i)`. */
export async function flood(
  url: string,
  count: number,
  options: (i: number) => StreamOptions = () => ({}),
  parallel = 250,
): Promise<Flood> {
  const result: Flood = {
    held: 0,
    busy: 0,
    reasons: {},
    failed: 0,
    firstData: [],
    close: () => {
      for (const r of requests) r.destroy();
    },
  };
  const requests: http.ClientRequest[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, count - start) }, (_, j) =>
        openOne(url, options(start + j)),
      ),
    );
    for (const outcome of batch) {
      if (outcome.kind === 'held') {
        result.held++;
        result.firstData.push(outcome.data);
        requests.push(outcome.request);
      } else if (outcome.kind === 'busy') {
        result.busy++;
        result.reasons[outcome.reason] = (result.reasons[outcome.reason] ?? 0) + 1;
      } else result.failed++;
    }
  }
  return result;
}

/** Resident memory of a process in MiB (Linux), or null where /proc is not there. */
export async function residentMiB(pid: number): Promise<number | null> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = status && /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : null;
}
