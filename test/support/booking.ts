import type { Express } from 'express';
import request from 'supertest';
import type { AppContext } from '../../src/context.js';
import { csrfFrom, placeholders, rawSql } from './test-app.js';

export const OFFICE = '000.00.13.H40';

export interface BookingForm {
  office?: string;
  service_group?: string;
  day: string;
  slot: string;
  applicant_name?: string;
  personal_id: string;
  phone?: string;
}

type Agent = ReturnType<typeof request.agent>;

/** A citizen's browser: its own session (CSRF) and, behind a trusted proxy, its own address. */
export function citizen(app: Express, address?: string) {
  const agent = request.agent(app);
  const withAddress = <T extends { set(name: string, value: string): T }>(r: T): T =>
    address ? r.set('X-Forwarded-For', address) : r;
  return { agent, withAddress };
}

/** Posts the booking form; the answer is the hold (303 to its confirmation page) or a refusal. */
export async function requestHold(
  c: { agent: Agent; withAddress: <T extends { set(n: string, v: string): T }>(r: T) => T },
  form: BookingForm,
) {
  const page = await c.withAddress(
    c.agent.get(
      `/dat-lich?office=${form.office ?? OFFICE}&service_group=${form.service_group ?? 'XE'}&day=${form.day}`,
    ),
  );
  return c.withAddress(c.agent.post('/dat-lich').type('form')).send({
    _csrf: csrfFrom(page.text),
    office: OFFICE,
    service_group: 'XE',
    applicant_name: 'Trần Văn Bình',
    phone: '0912345678',
    ...form,
  });
}

/** The code the outbox holds for a phone's latest hold (what the SMS carries). */
export async function codeSentTo(ctx: AppContext, phone: string): Promise<string> {
  const rows = await rawSql<{ body: string }>(
    ctx,
    placeholders(
      ctx,
      "select body from notifications where kind = 'booking_code' and recipient = ? order by id desc limit 1",
    ),
    [phone],
  );
  const code = /(\d{6})/.exec(rows[0]?.body ?? '')?.[1];
  if (!code) throw new Error(`no booking code sent to ${phone}`);
  return code;
}

/** Sends a code to a hold's confirmation page. */
export async function confirmWith(
  c: { agent: Agent; withAddress: <T extends { set(n: string, v: string): T }>(r: T) => T },
  holdPath: string,
  code: string,
) {
  // The session's token, from a page that always has a form (the hold's own may be gone).
  const page = await c.withAddress(c.agent.get('/dat-lich/cua-toi'));
  return c.withAddress(c.agent.post(holdPath).type('form')).send({
    _csrf: csrfFrom(page.text),
    code,
  });
}

/** Hold and confirm in one go; the booking code (DL-…) the done page shows. */
export async function book(
  ctx: AppContext,
  app: Express,
  form: BookingForm,
  address?: string,
): Promise<string> {
  const c = citizen(app, address);
  const held = await requestHold(c, form);
  if (held.status !== 303)
    throw new Error(`hold refused: ${held.status} ${held.text.slice(0, 300)}`);
  const done = await confirmWith(
    c,
    held.headers.location!,
    await codeSentTo(ctx, form.phone ?? '0912345678'),
  );
  const code = /data-booking-code>(DL-[A-Z0-9]{8})</.exec(done.text)?.[1];
  if (done.status !== 201 || !code) throw new Error(`not confirmed: ${done.status}`);
  return code;
}
