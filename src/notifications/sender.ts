import { startDrainLoop } from '../lib/drain-loop.js';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { channelResolver } from './channels.js';
import {
  localDayStartIso,
  parseQuietHours,
  quietUntil,
  retryDelayMs,
  URGENT_KINDS,
} from './message-rules.js';
import { claimDue, countSentSince, finishAttempt } from './notifications.repository.js';

/** How long a claimed message stays this sender's before another may take it (it died). */
const LEASE_MS = 60_000;
const BATCH = 20;

/**
 * Drains the outbox: claims due messages with a lease, sends each through its channel and
 * records what became of it. Quiet hours hold SMS and Zalo (not e-mail) until they end; a phone
 * that had its daily number of messages waits for the next day; a temporary failure is retried
 * with growing delays until the message's window closes, a permanent one is not retried. Returns
 * how many messages it handled.
 */
export async function drainOnce(
  ctx: AppContext,
  owner: string,
  resolve = channelResolver(ctx.config.notify, ctx.logger, {
    logBodies: ctx.config.env === 'development',
  }),
): Promise<number> {
  const now = ctx.clock.now();
  const quiet = parseQuietHours(ctx.config.notify.quietHours);
  const quietEnd = quiet ? quietUntil(quiet, now) : null;
  const claimed = await claimDue(
    ctx.db,
    owner,
    now.toISOString(),
    new Date(now.getTime() + LEASE_MS).toISOString(),
    BATCH,
    quietEnd ? ['email', 'log'] : null,
    URGENT_KINDS,
  );
  if (claimed.length === 0) return 0;
  const offices = await ctx.masterData.offices();
  for (const m of claimed) {
    const nowIso = ctx.clock.now().toISOString();
    if (
      (m.channel === 'sms' || m.channel === 'zalo') &&
      !(URGENT_KINDS as readonly string[]).includes(m.kind)
    ) {
      const sentToday = await countSentSince(ctx.db, m.recipient, localDayStartIso(now));
      if (sentToday >= ctx.config.notify.dailyCapPerPhone) {
        // Tomorrow, once the quiet hours are over (or at midnight without them).
        const tomorrow = new Date(Date.parse(localDayStartIso(now)) + 86_400_000);
        const after = (quiet ? quietUntil(quiet, tomorrow) : null) ?? tomorrow;
        await finishAttempt(ctx.db, m.id, owner, {
          state: 'queued',
          next_attempt_at: after.toISOString(),
          expires_at: new Date(
            after.getTime() + ctx.config.notify.retryHours * 3600_000,
          ).toISOString(),
          last_error: 'daily cap',
        });
        continue;
      }
    }
    const sender = resolve(
      m.channel,
      offices.find((o) => o.id === m.office_id),
    );
    const outcome = await sender.send(m);
    const attempts = m.attempts + 1;
    const body = m.redact ? m.body.split(m.redact).join('********') : m.body;
    if (outcome.ok) {
      await finishAttempt(ctx.db, m.id, owner, {
        state: outcome.delivered ? 'delivered' : 'sent',
        attempts,
        sent_at: nowIso,
        ...(outcome.delivered ? { delivered_at: nowIso } : {}),
        provider_id: outcome.providerId,
        last_error: null,
        body,
        redact: null,
      });
    } else if (
      !outcome.permanent &&
      Date.parse(nowIso) + retryDelayMs(attempts) < Date.parse(m.expires_at)
    ) {
      await finishAttempt(ctx.db, m.id, owner, {
        state: 'failed_temporary',
        attempts,
        last_error: outcome.error,
        next_attempt_at: new Date(Date.parse(nowIso) + retryDelayMs(attempts)).toISOString(),
      });
    } else {
      const finished = await finishAttempt(ctx.db, m.id, owner, {
        state: 'failed_permanent',
        attempts,
        last_error: outcome.error,
        failed_at: nowIso,
      });
      // The administrators' alert: listed on the failed-messages page and in the audit log.
      if (finished)
        await recordAudit(ctx.db, {
          at: ctx.clock.now(),
          actor: null,
          action: 'notification.failed',
          subject: `#${m.id}`,
          details: {
            channel: m.channel,
            kind: m.kind,
            attempts,
            error: outcome.error,
            permanent: outcome.permanent,
          },
        });
    }
  }
  return claimed.length;
}

/** The sender in this process: drains now and then, never two passes at once. */
export function startSender(ctx: AppContext, everyMs = 1000): { stop(): Promise<void> } {
  const owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const resolve = channelResolver(ctx.config.notify, ctx.logger, {
    logBodies: ctx.config.env === 'development',
  });
  return startDrainLoop(
    async () => drainOnce(ctx, owner, resolve),
    everyMs,
    (err) => ctx.logger.warn({ err }, 'notification sender pass failed; will retry'),
  );
}
