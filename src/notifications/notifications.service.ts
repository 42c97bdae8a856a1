import type { AppContext, Deps } from '../context.js';
import type { WorkingCalendar } from '../calendar/working-days.js';
import type { Tx } from '../db/database.js';
import type { DossierRow, NotificationTable } from '../db/schema.js';
import type { Insertable } from 'kysely';
import { formatDateTime } from '../lib/format.js';
import { addDays, instantAtLocal } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';
import { renderTemplate, type Channel, type MessageKind } from './message-rules.js';
import * as repo from './notifications.repository.js';

/**
 * Messages to citizens, written as outbox rows in the transaction of the change that causes
 * them (docs/ARCHITECTURE.md "Notifications"): a crash after the commit loses nothing, and a
 * rolled-back change sends nothing. Only on the channels the citizen agreed to, and never with
 * the ID number, the address or the birth date.
 */
export interface NotifySettings {
  retryHours: number;
  publicBaseUrl: string;
  templates: Templates;
}

type Templates = Map<string, { subject: string; body: string; zaloTemplateId: string }>;

const TEMPLATE_TTL_MS = 5_000;
const templateCache = new WeakMap<object, { until: number; value: Promise<Templates> }>();

/**
 * What writing a message needs, read before the change's transaction: the templates come from a
 * cache of a few seconds (an intake is the hottest write; the templates change a few times a
 * year, and saving one clears this process's copy).
 */
export async function notifySettingsOf(deps: Deps<'db' | 'config'>): Promise<NotifySettings> {
  const ctx = deps;
  let cached = templateCache.get(ctx.db);
  if (!cached || cached.until < Date.now()) {
    cached = { until: Date.now() + TEMPLATE_TTL_MS, value: templatesOf(ctx.db) };
    templateCache.set(ctx.db, cached);
  }
  return {
    retryHours: ctx.config.notify.retryHours,
    publicBaseUrl: ctx.config.publicBaseUrl,
    templates: await cached.value,
  };
}

export function forgetTemplates(ctx: AppContext): void {
  templateCache.delete(ctx.db);
}

export interface CitizenEvent {
  kind: MessageKind;
  dossier: Pick<
    DossierRow,
    | 'id'
    | 'office_id'
    | 'code'
    | 'procedure_name'
    | 'phone'
    | 'email'
    | 'notify_channels'
    | 'due_at'
    | 'rescheduled_due_at'
  >;
  officeName: string;
  at: Date;
  /** The receipt's lookup key (plain, known only at intake): its link goes in the receipt message. */
  lookupKey?: string | null;
  reason?: string;
  documents?: string;
  /** The postal tracking code of a result sent by post. */
  trackingCode?: string;
}

export function consentedChannels(notify: string): Channel[] {
  return notify
    .split(',')
    .map((c) => c.trim())
    .filter((c): c is Channel => c === 'sms' || c === 'zalo' || c === 'email');
}

/** The default templates, overridden by what an administrator saved. */
export async function templatesOf(tx: Tx | AppContext['db']): Promise<Templates> {
  const saved = new Map((await repo.findTemplates(tx)).map((t) => [t.kind, t]));
  return new Map(
    Object.entries(vi.notify.defaults).map(([kind, d]) => {
      const t = saved.get(kind);
      return [
        kind,
        {
          subject: t?.subject ?? d.subject,
          body: t?.body ?? d.body,
          zaloTemplateId: t?.zalo_template_id ?? '',
        },
      ];
    }),
  );
}

function lookupLink(base: string, code: string, key: string | null | undefined): string {
  const params = new URLSearchParams({ ma: code, ...(key ? { khoa: key } : {}) });
  return `${base}/tra-cuu?${params.toString()}`;
}

/** The outbox rows of one event: one per consented channel that has a recipient. */
export function messagesFor(
  settings: NotifySettings,
  e: CitizenEvent,
  sendAt: Date,
): Insertable<NotificationTable>[] {
  const templates = settings.templates;
  const channels = consentedChannels(e.dossier.notify_channels);
  if (!channels.length || !e.dossier.code) return [];
  const template = templates.get(e.kind)!;
  const values: Record<string, string> = {
    ma_ho_so: e.dossier.code,
    thu_tuc: e.dossier.procedure_name,
    co_quan: e.officeName,
    ngay_hen: formatDateTime(e.dossier.rescheduled_due_at ?? e.dossier.due_at),
    lien_ket: lookupLink(
      settings.publicBaseUrl,
      e.dossier.code,
      e.kind === 'receipt' ? e.lookupKey : null,
    ),
    giay_to: e.documents ?? '',
    ly_do: e.reason ?? '',
    ma_buu_gui: e.trackingCode ?? '',
  };
  const body = renderTemplate(template.body, values);
  const subject = renderTemplate(template.subject, values);
  const expires = new Date(sendAt.getTime() + settings.retryHours * 3600_000);
  const rows: Insertable<NotificationTable>[] = [];
  for (const channel of channels) {
    const recipient = channel === 'email' ? e.dossier.email : e.dossier.phone;
    if (!recipient) continue;
    rows.push({
      dossier_id: e.dossier.id,
      office_id: e.dossier.office_id,
      kind: e.kind,
      channel,
      recipient,
      subject,
      body,
      params: JSON.stringify(
        channel === 'zalo' ? { template_id: template.zaloTemplateId, data: values } : {},
      ),
      redact: e.kind === 'receipt' && e.lookupKey ? e.lookupKey : null,
      state: 'queued',
      next_attempt_at: sendAt.toISOString(),
      expires_at: expires.toISOString(),
      created_at: e.at.toISOString(),
    });
  }
  return rows;
}

/** 08:00 local on the working day before the appointment (null when that is already past). */
export function reminderTime(
  calendar: WorkingCalendar,
  dueOn: string | null,
  now: Date,
): Date | null {
  if (!dueOn) return null;
  let day = addDays(dueOn, -1);
  for (let i = 0; i < 60 && !calendar.isWorkingDay(day); i++) day = addDays(day, -1);
  const at = instantAtLocal(day, '08:00');
  return at.getTime() > now.getTime() ? at : null;
}

/**
 * Writes the messages of an event in the caller's transaction. A change of the appointment
 * cancels the reminder not sent yet and writes a new one; closing the dossier cancels it.
 */
export async function notifyCitizen(
  tx: Tx,
  settings: NotifySettings,
  e: CitizenEvent,
  reminder: { calendar: WorkingCalendar; dueOn: string | null } | null = null,
): Promise<void> {
  if (!consentedChannels(e.dossier.notify_channels).length || !e.dossier.code) return;
  await writeMessages(tx, settings, e, reminder);
}

/** The dossier closed without a result for the citizen to fetch: its reminder goes. */
export async function cancelReminders(tx: Tx, dossierId: number): Promise<void> {
  await repo.cancelPending(tx, dossierId, ['reminder']);
}

/** A corrected intake: the receipt message not sent yet carries a key that no longer works. */
export async function cancelReceiptMessages(tx: Tx, dossierId: number): Promise<void> {
  await repo.cancelPending(tx, dossierId, ['receipt', 'reminder']);
}

async function writeMessages(
  tx: Tx,
  settings: NotifySettings,
  e: CitizenEvent,
  reminder: { calendar: WorkingCalendar; dueOn: string | null } | null,
): Promise<void> {
  const rows = messagesFor(settings, e, e.at);
  // A reminder stands while the date does; a new date, a supplement or the return replace it.
  if (e.kind !== 'receipt' && e.kind !== 'result_ready')
    await repo.cancelPending(tx, e.dossier.id, ['reminder']);
  if (reminder) {
    const at = reminderTime(reminder.calendar, reminder.dueOn, e.at);
    if (at) rows.push(...messagesFor(settings, { ...e, kind: 'reminder' }, at));
  }
  await repo.insertNotifications(tx, rows);
}

/** "Your number is near": one SMS to the phone the citizen gave for the ticket (their consent). */
export interface QueueNearEvent {
  ticket: { id: number; office_id: number; number: string; phone: string };
  officeName: string;
  ahead: number;
  link: string;
  at: Date;
}

export async function notifyQueueNear(
  tx: Tx,
  settings: NotifySettings,
  e: QueueNearEvent,
): Promise<void> {
  const template = settings.templates.get('queue_near')!;
  const values = {
    so_thu_tu: e.ticket.number,
    co_quan: e.officeName,
    con_truoc: String(e.ahead),
    lien_ket: e.link,
  };
  // Called minutes from now at most: a message that cannot go within the hour is not worth sending.
  const expires = new Date(e.at.getTime() + 3600_000);
  await repo.insertNotifications(tx, [
    {
      dossier_id: null,
      ticket_id: e.ticket.id,
      office_id: e.ticket.office_id,
      kind: 'queue_near',
      channel: 'sms',
      recipient: e.ticket.phone,
      subject: renderTemplate(template.subject, values),
      body: renderTemplate(template.body, values),
      params: '{}',
      redact: null,
      state: 'queued',
      next_attempt_at: e.at.toISOString(),
      expires_at: expires.toISOString(),
      created_at: e.at.toISOString(),
    },
  ]);
}

/** A message about an online booking: its confirmation code, the booking made, or its cancellation. */
export interface BookingEvent {
  kind: 'booking_code' | 'booking_confirmed' | 'booking_cancelled';
  officeId: number;
  phone: string;
  values: Record<string, string>;
  /** What to blank from the stored copy once sent (the confirmation code). */
  secret?: string;
  at: Date;
  /** How long the message is worth sending. */
  validMs: number;
}

export async function notifyBooking(
  tx: Tx,
  settings: NotifySettings,
  e: BookingEvent,
): Promise<void> {
  const template = settings.templates.get(e.kind)!;
  await repo.insertNotifications(tx, [
    {
      dossier_id: null,
      ticket_id: null,
      office_id: e.officeId,
      kind: e.kind,
      channel: 'sms',
      recipient: e.phone,
      subject: renderTemplate(template.subject, e.values),
      body: renderTemplate(template.body, e.values),
      params: '{}',
      redact: e.secret ?? null,
      state: 'queued',
      next_attempt_at: e.at.toISOString(),
      expires_at: new Date(e.at.getTime() + e.validMs).toISOString(),
      created_at: e.at.toISOString(),
    },
  ]);
}

/**
 * The office's decision on a dossier delivered online (a supplement asked, or refused): one SMS
 * to the phone the applicant gave the portal for this dossier (docs/DECISIONS.md, the consent of
 * an online applicant). Nothing without a phone.
 */
export interface OnlineDecisionEvent {
  kind: 'online_supplement' | 'online_refused';
  officeId: number;
  phone: string | null;
  values: { ma_tren_cong: string; thu_tuc: string; co_quan: string; ly_do: string };
  at: Date;
}

export async function notifyOnlineApplicant(
  tx: Tx,
  settings: NotifySettings,
  e: OnlineDecisionEvent,
): Promise<void> {
  if (!e.phone) return;
  const template = settings.templates.get(e.kind)!;
  await repo.insertNotifications(tx, [
    {
      dossier_id: null,
      ticket_id: null,
      office_id: e.officeId,
      kind: e.kind,
      channel: 'sms',
      recipient: e.phone,
      subject: renderTemplate(template.subject, e.values),
      body: renderTemplate(template.body, e.values),
      params: '{}',
      redact: null,
      state: 'queued',
      next_attempt_at: e.at.toISOString(),
      expires_at: new Date(e.at.getTime() + settings.retryHours * 3600_000).toISOString(),
      created_at: e.at.toISOString(),
    },
  ]);
}

export const listNotificationsOf = (deps: Deps<'db'>, dossierId: number) =>
  repo.findNotificationsOf(deps.db, dossierId);
