import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { openEventStream as openStream } from '../support/event-stream.js';
import { accountNamed, openAroundTheClock } from '../support/factories.js';
import { freshDatabase as freshDatabaseFor } from '../support/fresh-database.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { createTestContext } from '../support/test-app.js';
import { until } from '../support/wait.js';

/** The queue across real server processes on one database, on the engine under test. */
const OFFICE = '000.00.13.H40';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const freshDatabase = () => freshDatabaseFor(cleanups, 'motcua-queue');

/** A kiosk token, and a staff token for `canbo` seated at counter 1. */
async function prepare(database: string) {
  const ctx = createTestContext(database);
  // The real clock: the hall must be open whatever the hour the suite runs at.
  await openAroundTheClock(ctx, OFFICE);
  const canbo = await accountNamed(ctx, 'canbo');
  const kiosk = await issueApiToken(ctx, canbo.id, 'kiosk', null, { scope: 'kiosk' });
  const staff = await issueApiToken(ctx, canbo.id, 'staff', null);
  const counter = await ctx.db
    .selectFrom('counters')
    .innerJoin('offices', 'offices.id', 'counters.office_id')
    .select('counters.id')
    .where('offices.code', '=', OFFICE)
    .where('counters.number', '=', 1)
    .executeTakeFirstOrThrow();
  await ctx.db
    .updateTable('counters')
    .set({ account_id: canbo.id, signed_in_at: new Date().toISOString() })
    .where('id', '=', counter.id)
    .execute();
  await ctx.destroy();
  return { kiosk, staff, counterId: counter.id };
}

async function servers(database: string, n: number): Promise<ServerProcess[]> {
  const started = await Promise.all(
    Array.from({ length: n }, () =>
      spawnServer(database, { NOTIFY_SENDER: 'off', BOOKING_RATE_LIMIT_PER_HOUR: '1000' }),
    ),
  );
  for (const s of started)
    cleanups.push(async () => {
      s.child.kill('SIGTERM');
      await s.exited;
    });
  return started;
}

const post = async (url: string, token: string, body: unknown) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('the queue across processes', () => {
  it('two kiosks on two servers get unique, consecutive numbers', async () => {
    const database = await freshDatabase();
    const { kiosk } = await prepare(database);
    const [a, b] = await servers(database, 2);
    const take = (base: string) =>
      post(`${base}/api/v1/queue/tickets`, kiosk, { office: OFFICE, service_group: 'CC' });
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => take(i % 2 ? a!.baseUrl : b!.baseUrl)),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(60).fill(201));
    const numbers = answers.map((r) => r.body.ticket.number as string).sort();
    expect(numbers).toEqual(
      Array.from({ length: 60 }, (_, i) => `C${String(i + 1).padStart(3, '0')}`),
    );
  });

  it('a display connected to one server hears a call made on another (at its next poll)', async () => {
    const database = await freshDatabase();
    const { kiosk, staff, counterId } = await prepare(database);
    const [display, counter] = await servers(database, 2);
    await post(`${counter!.baseUrl}/api/v1/queue/tickets`, kiosk, {
      office: OFFICE,
      service_group: 'CC',
    });
    const heard: (string | undefined)[] = [];
    const close = await openStream(`${display!.baseUrl}/man-hinh/${OFFICE}/su-kien`, (data) =>
      heard.push(data.calls[0]?.number),
    );
    cleanups.push(async () => close());
    await until(() => heard.length > 0, "the display's first snapshot");
    expect(heard[0]).toBeUndefined(); // nothing called yet

    const called = await post(
      `${counter!.baseUrl}/api/v1/queue/counters/${counterId}/call-next`,
      staff,
      {},
    );
    expect(called.status).toBe(200);
    // The other server's call reaches the display at its next poll of the database (every
    // quarter second, src/queue/queue-hub.ts); how soon is not a matter for a busy test machine.
    await until(() => heard.includes('C001'), 'the call to reach the display');

    // The same server's own call arrives too (the local poke), and the phone page's stream follows its ticket.
    const second = (
      await post(`${display!.baseUrl}/api/v1/queue/tickets`, kiosk, {
        office: OFFICE,
        service_group: 'CC',
      })
    ).body.ticket;
    const phone: any[] = [];
    const closePhone = await openStream(
      `${display!.baseUrl}${new URL(second.follow_url).pathname}/su-kien`,
      (d) => phone.push(d),
    );
    cleanups.push(async () => closePhone());
    await until(() => phone.length > 0, "the phone page's first snapshot");
    expect(phone[0]).toMatchObject({ state: 'waiting', ahead: 0 });
    await post(`${counter!.baseUrl}/api/v1/queue/counters/${counterId}/call-next`, staff, {});
    await until(() => phone.some((p) => p.state === 'called'), 'the phone page to hear its call');
    expect(phone.at(-1)).toMatchObject({ state: 'called', text: 'Mời Ông/Bà đến Quầy 1' });

    // Open streams do not hold a shutdown: the server ends them and exits cleanly (0; a shutdown
    // held past 10 s is cut short with exit code 1, src/main.ts).
    display!.child.kill('SIGTERM');
    expect(await display!.exited).toBe(0);
  });

  it('concurrent bookings on two servers never hold more places than a slot has', async () => {
    const database = await freshDatabase();
    await prepare(database);
    const [a, b] = await servers(database, 2);
    const page = await fetch(`${a!.baseUrl}/dat-lich?office=${OFFICE}&service_group=XE`);
    const day = /<option value="(\d{4}-\d{2}-\d{2})"/.exec(await page.text())![1]!;
    // Each citizen opens the form (a session and its CSRF token), then all submit at once.
    const clients = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const base = i % 2 ? a!.baseUrl : b!.baseUrl;
        const form = await fetch(`${base}/dat-lich?office=${OFFICE}&service_group=XE&day=${day}`);
        const cookie = form.headers.get('set-cookie')!.split(';')[0]!;
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
        return {
          base,
          cookie,
          csrf,
          pid: `00109000${String(1000 + i)}`,
          phone: `09123456${String(10 + i)}`,
        };
      }),
    );
    const statuses = await Promise.all(
      clients.map(async (c) => {
        const res = await fetch(`${c.base}/dat-lich`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            _csrf: c.csrf,
            office: OFFICE,
            service_group: 'XE',
            day,
            slot: '07:00',
            applicant_name: 'Người Đặt Lịch',
            personal_id: c.pid,
            phone: c.phone,
          }).toString(),
        });
        await res.text();
        return res.status;
      }),
    );
    // A booking is first a hold (303 to the page that asks for the SMS code): two places, two holds.
    expect(statuses.filter((s) => s === 303)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(10);
    const ctx = createTestContext(database);
    cleanups.push(() => ctx.destroy());
    const holds = await ctx.db
      .selectFrom('appointment_holds')
      .select('id')
      .where('day', '=', day)
      .where('slot_start', '=', '07:00')
      .execute();
    expect(holds).toHaveLength(2);
  });
});
