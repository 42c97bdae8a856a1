import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { book, citizen, codeSentTo, confirmWith, OFFICE, requestHold } from '../support/booking.js';
import { createTestApp, csrfFrom, type TestApp } from '../support/test-app.js';

/**
 * Online booking that proves who books (issue 29, items 2–4): a hold, the code sent to the
 * phone, quotas per address, phone and office's day, one booking per ID number, office and day
 * held by the database; cancelling and moving by the citizen and by staff. Both engines.
 */
let t: TestApp;
afterEach(async () => t?.close());

const DAY = '2026-03-11'; // Wednesday; the clock stands at Tuesday 2026-03-10 09:00 local
const start = (env: Record<string, string> = {}) =>
  createTestApp({ env: { TRUST_PROXY: 'true', ...env } }).then((a) => (t = a));
const placesLeft = async (slot = '07:30', day = DAY) => {
  const page = await request(t.app).get(`/dat-lich?office=${OFFICE}&service_group=XE&day=${day}`);
  const m = new RegExp(
    `value="${slot}"[^>]*>\\s*${slot} <span class="muted">\\((còn (\\d+) chỗ|hết chỗ)\\)`,
  ).exec(page.text);
  return m ? Number(m[2] ?? 0) : null;
};
const count = async (table: 'appointments' | 'appointment_holds', state?: string) => {
  let q = t.ctx.db.selectFrom(table as 'appointments').select('id');
  if (state) q = q.where('state', '=', state as 'booked');
  return (await q.execute()).length;
};

describe('a booking is confirmed by the code sent to the phone', () => {
  it('holds the place, sends the code through the outbox, and books only with the right code', async () => {
    await start();
    const c = citizen(t.app, '198.51.100.1');
    const held = await requestHold(c, { day: DAY, slot: '07:30', personal_id: '001090000001' });
    expect(held.status).toBe(303);
    expect(held.headers.location).toMatch(/^\/dat-lich\/xac-nhan\/[\w-]{20,}$/);
    expect(await placesLeft()).toBe(1); // the hold has its place for now
    expect(await count('appointments')).toBe(0);
    const sms = await t.ctx.db
      .selectFrom('notifications')
      .selectAll()
      .where('kind', '=', 'booking_code')
      .executeTakeFirstOrThrow();
    expect(sms).toMatchObject({ channel: 'sms', recipient: '0912345678', dossier_id: null });
    const code = await codeSentTo(t.ctx, '0912345678');
    expect(sms.redact).toBe(code); // blanked from the stored copy once sent

    const page = await c.withAddress(c.agent.get(held.headers.location!));
    expect(page.text).toContain('•••••••678');
    expect(page.text).not.toContain('0912345678');
    const wrong = await confirmWith(
      c,
      held.headers.location!,
      code === '000000' ? '111111' : '000000',
    );
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Còn 4 lần nhập');
    const done = await confirmWith(c, held.headers.location!, code);
    expect(done.status).toBe(201);
    // Item 9: the confirmation names the service and the papers to bring.
    expect(done.text).toMatch(/data-booking-service>Đăng ký xe</);
    expect(done.text).toContain('data-booking-papers');
    expect(done.text).toContain('/dat-lich/cua-toi?ma=DL-');
    expect(await count('appointments', 'booked')).toBe(1);
    expect(await count('appointment_holds')).toBe(0);
    expect(await placesLeft()).toBe(1);
    const confirmed = await t.ctx.db
      .selectFrom('notifications')
      .select('body')
      .where('kind', '=', 'booking_confirmed')
      .executeTakeFirstOrThrow();
    expect(confirmed.body).toMatch(/DL-[A-Z0-9]{8}.*\/dat-lich\/cua-toi\?ma=DL-/);
    // The same page again: the hold is gone.
    expect((await confirmWith(c, held.headers.location!, code)).status).toBe(409);
  });

  it('an unconfirmed hold expires after a few minutes and its place comes back', async () => {
    await start();
    const c = citizen(t.app, '198.51.100.1');
    const held = await requestHold(c, { day: DAY, slot: '07:30', personal_id: '001090000001' });
    const code = await codeSentTo(t.ctx, '0912345678');
    expect(await placesLeft()).toBe(1);
    t.clock.set(new Date(t.clock.now().getTime() + 5 * 60_000));
    expect(await placesLeft()).toBe(2); // shown free at once, swept by the next booking
    const late = await confirmWith(c, held.headers.location!, code);
    expect(late.status).toBe(409);
    expect((await c.withAddress(c.agent.get(held.headers.location!))).status).toBe(410);
    await requestHold(citizen(t.app, '198.51.100.2'), {
      day: DAY,
      slot: '07:30',
      personal_id: '001090000002',
      phone: '0912000002',
    });
    expect(await count('appointment_holds')).toBe(1);
  });

  it('five wrong codes drop the hold', async () => {
    await start();
    const c = citizen(t.app, '198.51.100.1');
    const held = await requestHold(c, { day: DAY, slot: '07:30', personal_id: '001090000001' });
    const code = await codeSentTo(t.ctx, '0912345678');
    const wrongCode = code === '999999' ? '888888' : '999999';
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push((await confirmWith(c, held.headers.location!, wrongCode)).status);
    expect(answers).toEqual([422, 422, 422, 422, 409]);
    // Dropped: even the right code now gets the answer of an unknown or expired hold.
    expect((await confirmWith(c, held.headers.location!, code)).status).toBe(409);
    expect((await c.withAddress(c.agent.get(held.headers.location!))).status).toBe(410);
    expect(await placesLeft()).toBe(2);
  });
});

describe('refusals that could reveal someone else’s booking are one answer (item 2)', () => {
  it('a booked ID number and any other get the same answers, on a full slot and on a slot with room', async () => {
    await start();
    await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '07:30', personal_id: '035090771234', phone: '0912000001' },
      '198.51.100.1',
    );
    await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '07:30', personal_id: '035090771235', phone: '0912000002' },
      '198.51.100.2',
    );
    // A full slot: the same 409 for the booked ID number and for another.
    const asVictim = await requestHold(citizen(t.app, '198.51.100.3'), {
      day: DAY,
      slot: '07:30',
      personal_id: '035090771234',
      phone: '0912000003',
    });
    const asOther = await requestHold(citizen(t.app, '198.51.100.4'), {
      day: DAY,
      slot: '07:30',
      personal_id: '001090000009',
      phone: '0912000004',
    });
    expect([asVictim.status, asOther.status]).toEqual([409, 409]);
    const alert = (html: string) => /<p class="alert" role="alert">([^<]*)</.exec(html)?.[1];
    expect(alert(asVictim.text)).toBe(alert(asOther.text));
    expect(asVictim.text).not.toContain('đã có lịch hẹn ngày đó ở cơ quan.');
    // A slot with room: the hold is made the same way for both…
    const victimHold = citizen(t.app, '198.51.100.5');
    const v = await requestHold(victimHold, {
      day: DAY,
      slot: '08:00',
      personal_id: '035090771234',
      phone: '0912000005',
    });
    expect(v.status).toBe(303);
    // …and the confirmation of the booked ID number answers exactly as an expired hold does.
    const refused = await confirmWith(
      victimHold,
      v.headers.location!,
      await codeSentTo(t.ctx, '0912000005'),
    );
    const otherHold = citizen(t.app, '198.51.100.6');
    const o = await requestHold(otherHold, {
      day: DAY,
      slot: '08:00',
      personal_id: '001090000010',
      phone: '0912000006',
    });
    const code = await codeSentTo(t.ctx, '0912000006');
    t.clock.set(new Date(t.clock.now().getTime() + 6 * 60_000));
    const expired = await confirmWith(otherHold, o.headers.location!, code);
    expect([refused.status, expired.status]).toEqual([409, 409]);
    const gone = (html: string) => /data-booking-gone>([^<]*)</.exec(html)?.[1];
    expect(gone(refused.text)).toBeTruthy();
    expect(gone(refused.text)).toBe(gone(expired.text));
    // The victim's own booking stands, and the refused hold gave its place back.
    expect(await count('appointments', 'booked')).toBe(2);
    expect(await placesLeft('08:00')).toBe(2);
  });

  it('an ID number of an impossible shape (unknown province) is refused before anything is held', async () => {
    await start();
    const held = await requestHold(citizen(t.app, '198.51.100.1'), {
      day: DAY,
      slot: '07:30',
      personal_id: '999090000001',
    });
    expect(held.status).toBe(422);
    expect(await count('appointment_holds')).toBe(0);
  });
});

describe('a day cannot be emptied (item 3)', () => {
  it(
    '4 addresses × 10 bookings with made-up ID numbers hold at most the office-day’s share, and confirm nothing',
    { timeout: 90_000 },
    async () => {
      await start();
      const total = async () => {
        let left = 0;
        for (const slot of [
          '07:30',
          '08:00',
          '08:30',
          '09:00',
          '09:30',
          '10:00',
          '10:30',
          '11:00',
          '13:30',
          '14:00',
          '14:30',
          '15:00',
          '15:30',
          '16:00',
          '16:30',
        ])
          left += (await placesLeft(slot)) ?? 0;
        return left;
      };
      const before = await total();
      const slots = [
        '07:30',
        '08:00',
        '08:30',
        '09:00',
        '09:30',
        '10:00',
        '10:30',
        '11:00',
        '13:30',
        '14:00',
      ];
      const statuses: number[] = [];
      for (let a = 0; a < 4; a++) {
        const c = citizen(t.app, `203.0.113.${a + 1}`);
        for (let i = 0; i < 10; i++) {
          const r = await requestHold(c, {
            day: DAY,
            slot: slots[i]!,
            personal_id: `00109${String(a * 10 + i).padStart(7, '0')}`,
            phone: `09120${String(a * 10 + i).padStart(5, '0')}`,
          });
          statuses.push(r.status);
        }
      }
      const held = statuses.filter((s) => s === 303).length;
      console.log(
        `4 addresses × 10 attempts: ${held} holds, answers ${JSON.stringify(statuses.reduce<Record<number, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {}))}; places ${before} → ${await total()}`,
      );
      expect(held).toBe(8); // BOOKING_HOLDS_PER_OFFICE_DAY
      expect(await count('appointments')).toBe(0);
      expect(await total()).toBe(before - 8);
      // Five minutes later the holds are gone and every place is back.
      t.clock.set(new Date(t.clock.now().getTime() + 5 * 60_000));
      expect(await total()).toBe(before);
    },
  );

  it(
    'one address books at most its quota for an office’s day, and one phone too',
    { timeout: 90_000 },
    async () => {
      await start({ BOOKING_HOLDS_PER_OFFICE_DAY: '100', BOOKING_PER_PHONE_PER_DAY: '2' });
      const c = citizen(t.app, '203.0.113.9');
      const answers = [];
      for (let i = 0; i < 6; i++)
        answers.push(
          (
            await requestHold(c, {
              day: DAY,
              slot: ['07:30', '08:00', '08:30', '09:00', '09:30', '10:00'][i]!,
              personal_id: `00109000000${i}`,
              phone: `091200000${i}`,
            })
          ).status,
        );
      expect(answers).toEqual([303, 303, 303, 303, 409, 409]); // BOOKING_PER_ADDRESS_PER_DAY = 4
      const phone = [];
      for (let i = 0; i < 4; i++)
        phone.push(
          (
            await requestHold(citizen(t.app, `203.0.114.${i}`), {
              day: DAY,
              slot: ['10:00', '10:30', '11:00', '13:30'][i]!,
              personal_id: `00109000010${i}`,
              phone: '0987000001',
            })
          ).status,
        );
      // BOOKING_PER_PHONE_PER_DAY = 2 here; past 3 codes an hour the phone is refused anyway (429).
      expect(phone).toEqual([303, 303, 409, 409]);
      // Another day of the same office has its own quota.
      expect(
        (
          await requestHold(c, {
            day: '2026-03-12',
            slot: '08:00',
            personal_id: '001090000020',
            phone: '0912000020',
          })
        ).status,
      ).toBe(303);
    },
  );
});

describe('one booking per ID number, office and day is the database’s (item 4)', () => {
  it(
    '12 parallel confirmations of one ID number give exactly one booking',
    { timeout: 90_000 },
    async () => {
      await start({ BOOKING_HOLDS_PER_OFFICE_DAY: '50' });
      const holds = [];
      for (let i = 0; i < 12; i++) {
        const c = citizen(t.app, `192.0.2.${i + 1}`);
        const phone = `09130000${String(i).padStart(2, '0')}`;
        const r = await requestHold(c, {
          day: DAY,
          slot: ['07:30', '08:00', '09:00', '10:00', '13:30', '14:00'][i % 6]!,
          personal_id: '035090771234',
          phone,
        });
        expect(r.status).toBe(303);
        holds.push({ c, path: r.headers.location!, code: await codeSentTo(t.ctx, phone) });
      }
      const pages = await Promise.all(holds.map((h) => h.c.withAddress(h.c.agent.get(h.path))));
      const answers = await Promise.all(
        holds.map((h, i) =>
          h.c
            .withAddress(h.c.agent.post(h.path).type('form'))
            .send({ _csrf: csrfFrom(pages[i]!.text), code: h.code }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(11);
      expect(await count('appointments', 'booked')).toBe(1);
      expect(await count('appointment_holds')).toBe(0);
      // Every refused hold gave its place back: 6 slots of 2 places, 1 taken.
      let left = 0;
      for (const slot of ['07:30', '08:00', '09:00', '10:00', '13:30', '14:00'])
        left += (await placesLeft(slot)) ?? 0;
      expect(left).toBe(11);
    },
  );

  it('the database refuses a second booked row of one ID number, office and day, whoever writes it', async () => {
    await start();
    await book(
      t.ctx,
      t.app,
      { day: DAY, slot: '07:30', personal_id: '035090771234' },
      '198.51.100.1',
    );
    const row = await t.ctx.db.selectFrom('appointments').selectAll().executeTakeFirstOrThrow();
    const { id: _id, ...copy } = row;
    await expect(
      t.ctx.db
        .insertInto('appointments')
        .values({ ...copy, code: 'DL-ZZZZZZZZ' })
        .execute(),
    ).rejects.toThrow();
    // Cancelled rows do not count.
    await t.ctx.db
      .insertInto('appointments')
      .values({ ...copy, code: 'DL-YYYYYYYY', state: 'cancelled' })
      .execute();
  });
});
