import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server playing the SMS gateway (`/sms`) and Zalo ZNS (`/zns`): it records every
 * request and answers as told: `ok`, `down` (503), `refused` (the socket closed), `permanent`
 * (400: a bad number), or for Zalo `zns_error` (200 with an error code).
 */
export type ProviderMode = 'ok' | 'down' | 'refused' | 'permanent' | 'zns_error';

export interface FakeProviders {
  url: string;
  mode: ProviderMode;
  requests: {
    path: string;
    headers: http.IncomingHttpHeaders;
    body: Record<string, unknown>;
    answered: number;
  }[];
  delivered(path: string): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startFakeProviders(): Promise<FakeProviders> {
  const state: FakeProviders = {
    url: '',
    mode: 'ok',
    requests: [],
    delivered: (path) =>
      state.requests.filter((r) => r.path === path && r.answered === 200).map((r) => r.body),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  let counter = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown>;
      try {
        body = req.headers['content-type']?.includes('json')
          ? (JSON.parse(text) as Record<string, unknown>)
          : Object.fromEntries(new URLSearchParams(text));
      } catch {
        body = { raw: text };
      }
      const record = { path: req.url ?? '', headers: req.headers, body, answered: 0 };
      state.requests.push(record);
      if (state.mode === 'refused') {
        record.answered = -1;
        req.socket.destroy();
        return;
      }
      const status = state.mode === 'down' ? 503 : state.mode === 'permanent' ? 400 : 200;
      record.answered = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      if (status !== 200) return res.end(JSON.stringify({ error: state.mode }));
      counter++;
      if (req.url?.startsWith('/zns')) {
        if (state.mode === 'zns_error') record.answered = 299;
        return res.end(
          JSON.stringify(
            state.mode === 'zns_error'
              ? { error: -124, message: 'Số điện thoại không hợp lệ' }
              : { error: 0, data: { msg_id: `zns-${counter}` } },
          ),
        );
      }
      res.end(JSON.stringify({ id: `sms-${counter}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
