import type { Logger } from 'pino';
import type { Config } from '../config.js';

/** One change as the portal receives it: the dossier record, then its progress record. */
export interface PortalMessage {
  maHoSo: string;
  /**
   * The change's idempotency key (the portal's dossier code and the change's number in its
   * stream), the same on every attempt: delivery is at least once (a sender that dies after the
   * portal took a change but before it recorded so sends it again), exactly once in effect for a
   * receiver that keeps the keys (docs/DECISIONS.md).
   */
  key: string;
  /** The portal has the dossier already (an earlier DongBoHoSoMC succeeded). */
  onPortal: boolean;
  record: Record<string, unknown>;
  progress: Record<string, unknown>;
}

export type PortalOutcome = { ok: true } | { ok: false; error: string };

export interface PortalAdapter {
  send(message: PortalMessage): Promise<PortalOutcome>;
}

/** Without PORTAL_SYNC_URL: records what would be sent, so a fresh install needs no credentials. */
export function logAdapter(logger: Logger): PortalAdapter {
  return {
    send(message) {
      logger.info(
        { maHoSo: message.maHoSo, status: message.record.TrangThaiHoSo },
        'portal sync (log adapter): would send',
      );
      return Promise.resolve({ ok: true });
    },
  };
}

/**
 * The portal's adapter over HTTP: the envelope of DongBoHoSoMC (the dossier, isUpdating once the
 * portal has it) and then CapNhatTienDoHoSoMC (its progress), each a POST of JSON to
 * PORTAL_SYNC_URL with the `dstcode` header, the bearer token and the change's `Idempotency-Key`
 * (the same for both calls of a change; a receiver keys its effect by service and key);
 * `error_code` 0 is success.
 * Anything else (an HTTP error, a timeout, a refused connection) is a failure to retry.
 */
export function httpAdapter(config: Config['portal'] & { url: string }): PortalAdapter {
  const post = async (body: unknown, key: string): Promise<PortalOutcome> => {
    try {
      const res = await fetch(config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': key,
          ...(config.dstcode ? { dstcode: config.dstcode } : {}),
          ...(config.token ? { authorization: `Bearer ${config.token}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) return { ok: false, error: `HTTP ${res.status}` };
      let answer: { error_code?: unknown; message?: unknown };
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        return { ok: false, error: 'the answer is not JSON' };
      }
      if (String(answer.error_code) !== '0')
        return {
          ok: false,
          error: `error_code ${String(answer.error_code)}: ${String(answer.message ?? '')}`,
        };
      return { ok: true };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  };
  return {
    async send(message) {
      const record = await post(
        {
          service: 'DongBoHoSoMC',
          isUpdating: message.onPortal ? 'True' : 'False',
          data: [message.record],
        },
        message.key,
      );
      if (!record.ok) return record;
      return post({ service: 'CapNhatTienDoHoSoMC', data: [message.progress] }, message.key);
    },
  };
}

export function portalAdapterOf(config: Config['portal'], logger: Logger): PortalAdapter {
  return config.url ? httpAdapter({ ...config, url: config.url }) : logAdapter(logger);
}
