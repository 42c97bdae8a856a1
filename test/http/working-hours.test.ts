import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

// Issue 28, item 7: the office's working hours are the one source of its hours. Changing them
// changes the booking slots, the published text (booking page, kiosk, receipt, admin page) and
// the deadline of a new step, on both engines.
let t: TestApp;
afterEach(() => t?.close());

const OFFICE = '000.00.13.H40';
const DAY = '2026-03-11'; // Wednesday
const officeRow = () =>
  t.ctx.db.selectFrom('offices').selectAll().where('code', '=', OFFICE).executeTakeFirstOrThrow();

/** The slot values the booking page offers, and the hours it publishes. */
async function bookingPage() {
  const page = await loginlessGet(`/dat-lich?office=${OFFICE}&service_group=XE&day=${DAY}`);
  return {
    slots: [...page.matchAll(/name="slot" value="([^"]+)"/g)].map((m) => m[1]!),
    hours: /data-office-hours>([^<]*)</.exec(page)?.[1]?.trim(),
  };
}
async function loginlessGet(path: string): Promise<string> {
  const res = await request(t.app).get(path);
  expect(res.status).toBe(200);
  return res.text;
}

/** Receives a dossier at a local evening time; its reception step's deadline and planned minutes. */
async function receptionStepReceivedAt(utc: string) {
  t.clock.set(new Date(utc));
  const canbo = await accountNamed(t.ctx, 'canbo');
  const { dossierId, code } = await receiveDossier(t.ctx, canbo, await validIntake(t.ctx));
  const step = await t.ctx.db
    .selectFrom('dossier_steps')
    .select(['kind', 'due_at', 'planned_minutes'])
    .where('dossier_id', '=', dossierId)
    .orderBy('position')
    .executeTakeFirstOrThrow();
  expect(step.kind).toBe('reception');
  return { code: code!, dueAt: step.due_at, minutes: step.planned_minutes! };
}

/** `HH:MM` local + minutes → the UTC instant of that day (UTC+7). */
const localInstant = (day: string, hhmm: string, plus: number) => {
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(
    Date.parse(`${day}T00:00:00Z`) + ((h! - 7) * 60 + m! + plus) * 60_000,
  ).toISOString();
};

describe('one source of working hours', () => {
  it('the demo office publishes, books and counts from 07:30; an administrator’s change moves all three', async () => {
    t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
    expect((await officeRow()).working_hours).toBe('07:30-11:30,13:30-17:00');

    // Before: 07:30 everywhere.
    let booking = await bookingPage();
    expect(booking.hours).toBe('Giờ làm việc: Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00');
    expect(booking.slots[0]).toBe('07:30');
    expect(booking.slots).not.toContain('07:00');
    // Received Tuesday 19:33: the reception step counts from Wednesday's opening, 07:30.
    const before = await receptionStepReceivedAt('2026-03-10T12:33:00Z');
    expect(before.minutes).toBeLessThanOrEqual(240);
    expect(before.dueAt).toBe(localInstant(DAY, '07:30', before.minutes));
    const canbo = await loginAs(t.app, 'canbo');
    const receipt = await canbo.get(`/ho-so/${before.code}/phieu/receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain('Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00');

    // The administrator sees the published text, and an hour that is not one is refused.
    const admin = await loginAs(t.app, 'quantri');
    const office = await officeRow();
    const page = await admin.get(`/quan-tri/don-vi/${office.id}`);
    expect(page.text).toContain('Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00');
    // The free-text hours are gone from the form: hours are never typed twice.
    expect(page.text).not.toContain('name="opening_hours"');
    const form = {
      _csrf: csrfFrom(page.text),
      code: office.code,
      name: office.name,
      short_name: office.short_name,
      address: office.address,
      phone: office.phone,
      valid_from: office.valid_from,
    };
    const wrong = await admin
      .post(`/quan-tri/don-vi/${office.id}`)
      .type('form')
      .send({ ...form, working_hours: '08:00-12:00,11:00-17:00' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('value="08:00-12:00,11:00-17:00"');
    expect((await officeRow()).working_hours).toBe('07:30-11:30,13:30-17:00');
    const saved = await admin
      .post(`/quan-tri/don-vi/${office.id}`)
      .type('form')
      .send({ ...form, working_hours: '08:00-12:00, 13:00-16:30' });
    expect(saved.status).toBe(303);

    // After: the slots, the published text (booking, kiosk, admin, receipt) and a new step's deadline.
    booking = await bookingPage();
    expect(booking.hours).toBe('Giờ làm việc: Thứ Hai – Thứ Sáu: 08:00–12:00, 13:00–16:30');
    expect(booking.slots[0]).toBe('08:00');
    expect(booking.slots).not.toContain('07:30');
    expect(booking.slots).toContain('13:00');
    expect((await admin.get(`/quan-tri/don-vi/${office.id}`)).text).toContain(
      'Thứ Hai – Thứ Sáu: 08:00–12:00, 13:00–16:30',
    );
    const after = await receptionStepReceivedAt('2026-03-10T12:33:00Z');
    expect(after.dueAt).toBe(localInstant(DAY, '08:00', after.minutes));
    const receiptAfter = await canbo.get(`/ho-so/${after.code}/phieu/receipt`);
    expect(receiptAfter.text).toContain('Thứ Hai – Thứ Sáu: 08:00–12:00, 13:00–16:30');
    expect(receiptAfter.text).not.toContain('07:30–11:30');
  });

  it('only an administrator changes them', async () => {
    t = await createTestApp();
    const office = await officeRow();
    const officer = await loginAs(t.app, 'canbo');
    const board = await officer.get('/ho-so/hom-nay');
    const res = await officer
      .post(`/quan-tri/don-vi/${office.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(board.text), code: office.code, working_hours: '00:00-23:59' });
    expect(res.status).toBe(403);
    expect((await officeRow()).working_hours).toBe('07:30-11:30,13:30-17:00');
  });
});
