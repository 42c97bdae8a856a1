import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { book, codeSentTo, OFFICE } from '../support/booking.js';
import { accountNamed } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Check-in that only the citizen can do (issue 29, item 5): by the booking code, or by the ID
 * number together with the phone's last four digits or the code the SMS brought. An unknown ID
 * number and a known one with a wrong or missing proof get the same answer, and nobody takes
 * someone else's appointment by typing their ID number. Both engines.
 */
let t: TestApp;
afterEach(async () => t?.close());

const DAY = '2026-03-11';
const PID = '035090771234';
const PHONE = '0912345678';

async function setup() {
  t = await createTestApp({ env: { TRUST_PROXY: 'true' } });
  const canbo = await accountNamed(t.ctx, 'canbo');
  const kiosk = await issueApiToken(t.ctx, canbo.id, 'kiosk', null, { scope: 'kiosk' });
  const code = await book(
    t.ctx,
    t.app,
    { day: DAY, slot: '07:30', personal_id: PID, phone: PHONE },
    '198.51.100.1',
  );
  const smsCode = await codeSentTo(t.ctx, PHONE);
  t.clock.set(new Date('2026-03-11T00:05:00Z')); // 07:05 on the day
  const checkIn = (body: Record<string, string>) =>
    request(t.app)
      .post('/api/v1/queue/check-in')
      .set('Authorization', `Bearer ${kiosk}`)
      .send({ office: OFFICE, ...body });
  return { code, smsCode, checkIn };
}
const state = async () =>
  (await t.ctx.db.selectFrom('appointments').select('state').executeTakeFirstOrThrow()).state;

describe('check-in at the kiosk (item 5)', () => {
  it('an ID number alone takes nobody’s appointment, and answers as an unknown ID number does', async () => {
    const { checkIn } = await setup();
    const bare = await checkIn({ booking: PID });
    const unknown = await checkIn({ booking: '001090009999', proof: '5678' });
    const wrongDigits = await checkIn({ booking: PID, proof: '1111' });
    const wrongCode = await checkIn({ booking: PID, proof: '000000' });
    for (const r of [bare, unknown, wrongDigits, wrongCode]) {
      expect(r.status).toBe(422);
      expect(r.body).toEqual(unknown.body);
    }
    expect(await state()).toBe('booked');
    expect(await t.ctx.db.selectFrom('tickets').select('id').execute()).toHaveLength(0);
  });

  it('the ID number with the phone’s last four digits checks in; a second time is 409 booking_used', async () => {
    const { checkIn } = await setup();
    const ok = await checkIn({ booking: '0350 9077 1234', proof: '5678' });
    expect(ok.status).toBe(201);
    expect(ok.body.ticket.appointment).toBe(true);
    expect(await state()).toBe('checked_in');
    const again = await checkIn({ booking: PID, proof: '5678' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('booking_used');
  });

  it('the ID number with the code from the SMS checks in', async () => {
    const { checkIn, smsCode } = await setup();
    expect((await checkIn({ booking: PID, proof: smsCode })).status).toBe(201);
  });

  it('after five wrong proofs only the booking code opens it, and the code works however typed', async () => {
    const { checkIn, code } = await setup();
    for (let i = 0; i < 5; i++)
      expect((await checkIn({ booking: PID, proof: `000${i}` })).status).toBe(422);
    expect((await checkIn({ booking: PID, proof: '5678' })).status).toBe(422);
    const byCode = await checkIn({ booking: code.toLowerCase().replace('-', ' ') });
    expect(byCode.status).toBe(201);
  });

  it('a booking code of another office or a cancelled booking is not found', async () => {
    const { checkIn, code } = await setup();
    await t.ctx.db.updateTable('appointments').set({ state: 'cancelled' }).execute();
    const cancelled = await checkIn({ booking: code });
    const unknown = await checkIn({ booking: 'DL-ABCDEFGH' });
    expect([cancelled.status, unknown.status]).toEqual([422, 422]);
    expect(cancelled.body).toEqual(unknown.body);
  });
});
