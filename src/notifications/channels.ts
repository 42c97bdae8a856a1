import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { NotificationRow, OfficeRow } from '../db/schema.js';
import { outcomeOfStatus, type SendOutcome } from './message-rules.js';

/**
 * The providers a message goes through: a generic HTTP SMS gateway, Zalo ZNS, SMTP e-mail, and
 * the `log` channel (records what would be sent), used wherever a channel has no settings so a
 * fresh install runs without credentials. Each answers ok, a temporary or a permanent failure.
 */
export type ChannelSettings = Pick<
  Config['notify'],
  | 'smsGatewayUrl'
  | 'smsGatewayToken'
  | 'smsGatewayFormat'
  | 'zaloZnsUrl'
  | 'zaloZnsToken'
  | 'smtpUrl'
  | 'mailFrom'
>;

export interface ChannelSender {
  /** `log` when the channel has no settings. */
  name: 'sms' | 'zalo' | 'email' | 'log';
  send(message: NotificationRow): Promise<SendOutcome>;
}

const TIMEOUT_MS = 10_000;

async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<SendOutcome & { json?: Record<string, unknown> }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    const outcome = outcomeOfStatus(res.status, text);
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { ...outcome, json };
  } catch (err) {
    // Refused, reset, timed out: the provider may be back later.
    return {
      ok: false,
      permanent: false,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    };
  }
}

function httpSms(url: string, token: string | null, format: 'json' | 'form'): ChannelSender {
  return {
    name: 'sms',
    async send(m) {
      const fields = { to: m.recipient, text: m.body, id: String(m.id) };
      const headers: Record<string, string> = {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      };
      const body =
        format === 'json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
      headers['content-type'] =
        format === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
      const r = await post(url, headers, body);
      if (!r.ok) return r;
      const id = r.json?.id ?? r.json?.message_id;
      return { ok: true, providerId: id === undefined ? String(m.id) : String(id) };
    },
  };
}

/** Zalo's numbers are international without the plus: 0912… → 84912…. */
function zaloPhone(phone: string): string {
  return phone.replace(/^\+/, '').replace(/^0/, '84');
}

function zalo(url: string, token: string | null): ChannelSender {
  return {
    name: 'zalo',
    async send(m) {
      const params = JSON.parse(m.params || '{}') as {
        template_id?: string;
        data?: Record<string, string>;
      };
      // A ZNS template where one is set; the plain text where none fits.
      const payload = params.template_id
        ? {
            phone: zaloPhone(m.recipient),
            template_id: params.template_id,
            template_data: params.data ?? {},
            tracking_id: String(m.id),
          }
        : { phone: zaloPhone(m.recipient), text: m.body, tracking_id: String(m.id) };
      const r = await post(
        url,
        { 'content-type': 'application/json', ...(token ? { access_token: token } : {}) },
        JSON.stringify(payload),
      );
      if (!r.ok) return r;
      // ZNS answers 200 with an error code of its own: non-zero is a refusal a retry will not fix.
      const code = Number(r.json?.error ?? 0);
      if (code !== 0)
        return {
          ok: false,
          permanent: true,
          error: `ZNS error ${code}: ${String(r.json?.message ?? '')}`.slice(0, 300),
        };
      const data = r.json?.data as { msg_id?: string } | undefined;
      return { ok: true, providerId: data?.msg_id ?? String(m.id) };
    },
  };
}

function smtp(url: string, from: string): ChannelSender {
  const transport = nodemailer.createTransport(url);
  return {
    name: 'email',
    async send(m) {
      try {
        const info = await transport.sendMail({
          from,
          to: m.recipient,
          subject: m.subject,
          text: m.body,
        });
        return { ok: true, providerId: info.messageId ?? String(m.id) };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        // 5xx: the server refused the message or the address for good; anything else may pass later.
        return {
          ok: false,
          permanent: typeof code === 'number' && code >= 500,
          error: err instanceof Error ? err.message.slice(0, 300) : String(err),
        };
      }
    },
  };
}

/**
 * Records what would be sent. In development it shows the text too (a booking's confirmation
 * code, so a developer can book without a gateway); elsewhere only its length.
 */
function logChannel(logger: Logger, logBodies: boolean): ChannelSender {
  return {
    name: 'log',
    async send(m) {
      logger.info(
        {
          notification: m.id,
          channel: m.channel,
          kind: m.kind,
          length: m.body.length,
          ...(logBodies ? { to: m.recipient, text: m.body } : {}),
        },
        'notification (log channel: no provider configured)',
      );
      return { ok: true, providerId: `log-${m.id}`, delivered: true };
    },
  };
}

/** Chooses the sender of each channel: the office's own account, the installation's, or the log. */
export function channelResolver(
  settings: ChannelSettings,
  logger: Logger,
  options: { logBodies?: boolean } = {},
) {
  const cache = new Map<string, ChannelSender>();
  const once = (key: string, make: () => ChannelSender) =>
    cache.get(key) ?? cache.set(key, make()).get(key)!;
  const log = logChannel(logger, options.logBodies ?? false);
  return (
    channel: NotificationRow['channel'],
    office:
      | Pick<OfficeRow, 'sms_gateway_url' | 'sms_gateway_token' | 'zalo_zns_url' | 'zalo_zns_token'>
      | undefined,
  ): ChannelSender => {
    if (channel === 'sms') {
      const url = office?.sms_gateway_url ?? settings.smsGatewayUrl;
      const token = office?.sms_gateway_url ? office.sms_gateway_token : settings.smsGatewayToken;
      return url
        ? once(`sms ${url} ${token}`, () => httpSms(url, token ?? null, settings.smsGatewayFormat))
        : log;
    }
    if (channel === 'zalo') {
      const url = office?.zalo_zns_url ?? settings.zaloZnsUrl;
      const token = office?.zalo_zns_url ? office.zalo_zns_token : settings.zaloZnsToken;
      return url ? once(`zalo ${url} ${token}`, () => zalo(url, token ?? null)) : log;
    }
    if (channel === 'email' && settings.smtpUrl)
      return once('smtp', () => smtp(settings.smtpUrl!, settings.mailFrom));
    return log;
  };
}
