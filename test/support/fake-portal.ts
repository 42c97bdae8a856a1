import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * ok: error_code 0; down: 503; refused: the connection dropped; rejects: 200 with error_code 1;
 * hold: taken (applied, as a portal that committed it) but not answered until release().
 */
export type PortalMode = 'ok' | 'down' | 'refused' | 'rejects' | 'hold';

export interface PortalRequest {
  headers: http.IncomingHttpHeaders;
  body: { service?: string; isUpdating?: string; data?: Record<string, string>[] };
  accepted: boolean;
  /** The change's Idempotency-Key header. */
  key: string | undefined;
  /** When the request's body had arrived (Date.now()). */
  at: number;
}

/** A national portal's adapter as the tests need it: records every request, answers by `mode`. */
export interface FakePortal {
  url: string;
  mode: PortalMode;
  requests: PortalRequest[];
  /** The items the portal accepted of one service, in order. */
  accepted(service: string): Record<string, string>[];
  /**
   * What a receiver that keys its effect by idempotency key applied of one service, in order:
   * the items of the accepted requests, a key seen before skipped.
   */
  applied(service: string): Record<string, string>[];
  /** Keys the portal accepted more than once for one service (deliveries repeated). */
  repeatedKeys(service: string): string[];
  /** Answers the held requests (error_code 0; their sender may be gone). */
  release(): void;
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
        key: req.headers['idempotency-key'] as string | undefined,
        at: Date.now(),
      };
      portal.requests.push(record);
      if (portal.mode === 'refused') return req.socket.destroy();
      if (portal.mode === 'hold') {
        record.accepted = true;
        held.push(res);
        return;
      }
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
  const held: http.ServerResponse[] = [];
  const acceptedOf = (service: string) =>
    portal.requests.filter((r) => r.accepted && r.body.service === service);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const portal: FakePortal = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dvcqg`,
    mode: 'ok',
    requests: [],
    accepted: (service) =>
      portal.requests
        .filter((r) => r.accepted && r.body.service === service)
        .flatMap((r) => r.body.data ?? []),
    applied: (service) => {
      const seen = new Set<string>();
      return acceptedOf(service).flatMap((r) => {
        if (r.key !== undefined && seen.has(r.key)) return [];
        if (r.key !== undefined) seen.add(r.key);
        return r.body.data ?? [];
      });
    },
    repeatedKeys: (service) => {
      const keys = acceptedOf(service).map((r) => r.key ?? '');
      return keys.filter((k, i) => keys.indexOf(k) !== i);
    },
    release: () => {
      for (const res of held.splice(0)) {
        if (res.destroyed) continue;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error_code: 0, result: 'thành công' }));
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return portal;
}
