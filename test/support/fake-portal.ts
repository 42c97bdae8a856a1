import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** ok: error_code 0; down: 503; refused: the connection dropped; rejects: 200 with error_code 1. */
export type PortalMode = 'ok' | 'down' | 'refused' | 'rejects';

export interface PortalRequest {
  headers: http.IncomingHttpHeaders;
  body: { service?: string; isUpdating?: string; data?: Record<string, string>[] };
  accepted: boolean;
}

/** A national portal's adapter as the tests need it: records every request, answers by `mode`. */
export interface FakePortal {
  url: string;
  mode: PortalMode;
  requests: PortalRequest[];
  /** The items the portal accepted of one service, in order. */
  accepted(service: string): Record<string, string>[];
  close(): Promise<void>;
}

export async function startFakePortal(): Promise<FakePortal> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: PortalRequest = {
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as PortalRequest['body'],
        accepted: false,
      };
      portal.requests.push(record);
      if (portal.mode === 'refused') return req.socket.destroy();
      if (portal.mode === 'down') {
        res.writeHead(503, { 'content-type': 'application/json' });
        return res.end('{"error":"maintenance"}');
      }
      record.accepted = portal.mode === 'ok';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          record.accepted
            ? { error_code: 0, result: 'thành công' }
            : { error_code: 1, message: 'Dữ liệu không hợp lệ' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const portal: FakePortal = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dvcqg`,
    mode: 'ok',
    requests: [],
    accepted: (service) =>
      portal.requests
        .filter((r) => r.accepted && r.body.service === service)
        .flatMap((r) => r.body.data ?? []),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return portal;
}
