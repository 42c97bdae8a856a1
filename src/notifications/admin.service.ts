import type { AppContext, Deps } from '../context.js';
import { actorOf, type CurrentAccount } from '../current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import { inTransaction } from '../db/transactions.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { vi } from '../locale/vi.js';
import { accessibleOfficeIds } from '../office-scope.js';
import { hasControlCharacters } from '../validation.js';
import { constantTimeEquals } from '../http/csrf.js';
import {
  MESSAGE_KINDS,
  renderTemplate,
  smsSegments,
  unknownPlaceholders,
} from './message-rules.js';
import * as repo from './notifications.repository.js';
import { forgetTemplates, templatesOf } from './notifications.service.js';

const P = vi.notify.page;
const PLACEHOLDERS = Object.keys(vi.notify.placeholders);

/** Resends a message that failed for good: back in the queue with a fresh retry window. */
export async function resendNotification(
  ctx: AppContext,
  account: CurrentAccount,
  id: number,
): Promise<void> {
  const m = await repo.findNotification(ctx.db, id);
  if (!m || !(await accessibleOfficeIds(ctx, account)).includes(m.office_id))
    throw new NotFoundError(P.notFound);
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async (tx) => {
    if (
      !(await repo.requeue(
        tx,
        id,
        now.toISOString(),
        new Date(now.getTime() + ctx.config.notify.retryHours * 3600_000).toISOString(),
      ))
    )
      throw new ConflictError(P.notFailed, 'not_failed');
    await recordAudit(tx, {
      at: now,
      actor: actorOf(account),
      action: 'notification.resent',
      subject: `#${id}`,
      details: { channel: m.channel, kind: m.kind },
    });
  });
}

export async function failedNotifications(ctx: AppContext, account: CurrentAccount) {
  const offices = await accessibleOfficeIds(ctx, account);
  return repo.findFailed(ctx.db, offices, 200);
}

export async function failedCount(
  ctx: Deps<'db' | 'masterData'>,
  account: CurrentAccount,
): Promise<number> {
  return repo.countFailed(ctx.db, await accessibleOfficeIds(ctx, account));
}

/** A sample of every template, as the administrator's page previews it, with SMS length. */
export async function templatePreviews(ctx: AppContext) {
  const templates = await templatesOf(ctx.db);
  const sample = {
    ...vi.notify.sample,
    lien_ket: `${ctx.config.publicBaseUrl}/tra-cuu?ma=${vi.notify.sample.ma_ho_so}&khoa=7KQ3MZ2P`,
  };
  return MESSAGE_KINDS.map((kind) => {
    const t = templates.get(kind)!;
    const text = renderTemplate(t.body, sample);
    return {
      kind,
      ...t,
      preview: text,
      previewSubject: renderTemplate(t.subject, sample),
      sms: smsSegments(text),
    };
  });
}

/** Saves a template; refuses unknown placeholders and the fields a message must never carry. */
export async function saveTemplate(
  ctx: AppContext,
  admin: CurrentAccount,
  kind: string,
  raw: Record<string, unknown>,
): Promise<void> {
  if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) throw new NotFoundError();
  const text = (v: unknown) => (typeof v === 'string' ? v.normalize('NFC').trim() : '');
  const [body, subject, zalo] = [text(raw.body), text(raw.subject), text(raw.zalo_template_id)];
  const fields: Record<string, string> = {};
  if (body.length < 10 || body.length > 600 || hasControlCharacters(body))
    fields.body = P.bodyRequired;
  if (subject.length < 3 || subject.length > 150 || hasControlCharacters(subject))
    fields.subject = P.subjectRequired;
  if (!/^[\w-]{0,40}$/.test(zalo)) fields.zalo_template_id = vi.errors.invalidValue;
  const unknown = unknownPlaceholders(`${body} ${subject}`, PLACEHOLDERS);
  if (unknown.length) fields.body ??= P.unknownPlaceholder(unknown.map((u) => `{${u}}`).join(', '));
  if (
    /\{(so_dinh_danh|dia_chi|ngay_sinh|personal_id|address|birth_date)\}/.test(`${body} ${subject}`)
  )
    fields.body = P.forbiddenField;
  if (Object.keys(fields).length) throw new ValidationError(fields);
  await inTransaction(ctx.db, async (tx) => {
    await repo.upsertTemplate(tx, {
      kind,
      subject,
      body,
      zalo_template_id: zalo,
      updated_at: ctx.clock.now().toISOString(),
    });
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: 'notification.template_saved',
      subject: kind,
      details: { length: body.length },
    });
  });
  forgetTemplates(ctx);
}

/**
 * A provider's delivery receipt, authenticated by a gateway's token in the callback URL: the
 * installation's token answers for the messages of offices without a gateway of their own, an
 * office's own token for that office's messages only. Each change is an audit event.
 */
export async function acceptReceipt(
  ctx: AppContext,
  channel: string,
  token: string,
  body: Record<string, unknown>,
): Promise<boolean> {
  if ((channel !== 'sms' && channel !== 'zalo') || !token) throw new NotFoundError();
  const installation =
    channel === 'sms' ? ctx.config.notify.smsGatewayToken : ctx.config.notify.zaloZnsToken;
  const gateways = await repo.officeGateways(ctx.db, channel);
  // Every token is compared (constant time each), so the answer's time says nothing of which.
  const ownOffices = gateways
    .filter((g) => g.own && g.token !== null && constantTimeEquals(token, g.token))
    .map((g) => g.id);
  const viaInstallation = installation !== null && constantTimeEquals(token, installation);
  if (!viaInstallation && ownOffices.length === 0) throw new NotFoundError();
  const scope = [
    ...ownOffices,
    ...(viaInstallation ? gateways.filter((g) => !g.own).map((g) => g.id) : []),
  ];
  const id = body.id ?? body.message_id ?? body.msg_id;
  const status = String(body.status ?? '').toLowerCase();
  if (
    (typeof id !== 'string' && typeof id !== 'number') ||
    !['delivered', 'failed'].includes(status)
  )
    throw new ValidationError({ status: vi.errors.invalidValue });
  const delivered = status === 'delivered';
  return inTransaction(ctx.db, async (tx) => {
    const changed = await repo.recordReceipt(
      tx,
      channel,
      String(id).slice(0, 200),
      scope,
      delivered,
      ctx.clock.now().toISOString(),
      typeof body.error === 'string' ? body.error.slice(0, 300) : null,
    );
    if (!changed) return false;
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: null,
      action: delivered ? 'notification.delivered' : 'notification.delivery_failed',
      subject: `#${changed.id}`,
      details: {
        channel,
        kind: changed.kind,
        office_id: changed.office_id,
        by: viaInstallation ? 'installation' : 'office',
      },
    });
    return true;
  });
}

export const countMessages = (
  ctx: AppContext,
  officeIds: number[],
  startIso: string,
  endIso: string,
) => repo.countByChannelAndState(ctx.reportDb, officeIds, startIso, endIso);
