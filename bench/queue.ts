/**
 * The queue's two loads (`npm run bench`): kiosks taking numbers through the API, and one
 * office's call display open on 100 screens while its counter calls numbers, each call timed
 * from the counter's request to its arrival on the last of the 100 streams.
 */
import { createHash, randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { openEventStream } from '../test/support/event-stream.js';

export interface QueueOffice {
  code: string;
  kioskToken: string;
  staffToken: string;
  counterId: number;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A fresh office with one service group, one counter with its officer seated, and their tokens (written before the server starts). */
export function createQueueOffice(file: string, tag: string): QueueOffice {
  const db = new SQLite(file);
  const now = new Date().toISOString();
  const code = `BENCHQ.${Date.now()}.${tag}`;
  const template = db
    .prepare("select password_hash from accounts where username = 'canbo'")
    .get() as { password_hash: string };
  // Today and tomorrow (local) working days in this copy of the database: the hall issues no
  // ticket on a weekend or a holiday, and the bench runs on any day (as openAroundTheClock in the
  // tests). Only days the calendar has no entry for are added.
  const localDay = (offset: number) =>
    new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
  for (const day of [localDay(0), localDay(1)])
    db.prepare(
      "insert into calendar_days (day, kind, name, created_at) select ?, 'make_up_workday', 'Bench', ? where not exists (select 1 from calendar_days where day = ?)",
    ).run(day, now, day);
  const officeId = Number(
    db
      .prepare(
        // Open around the clock: the bench runs at any hour, and the hall keeps its office's hours.
        "insert into offices (code, name, short_name, address, phone, working_hours, parent_id, valid_from, created_at) values (?, ?, 'Bench', '', '', '00:00-23:59', null, '2020-01-01', ?)",
      )
      .run(code, `Bench queue ${tag}`, now).lastInsertRowid,
  );
  const accountId = Number(
    db
      .prepare(
        "insert into accounts (username, full_name, role, office_id, password_hash, failed_logins, active, created_at, updated_at) values (?, 'Cán bộ quầy', 'officer', ?, ?, 0, 1, ?, ?)",
      )
      .run(`benchq.${code}`, officeId, template.password_hash, now, now).lastInsertRowid,
  );
  const kioskToken = `mc_${randomBytes(24).toString('base64url')}`;
  const staffToken = `mc_${randomBytes(24).toString('base64url')}`;
  db.prepare(
    "insert into api_tokens (account_id, name, token_hash, created_at, scope) values (?, 'kiosk', ?, ?, 'kiosk')",
  ).run(accountId, hash(kioskToken), now);
  db.prepare(
    "insert into api_tokens (account_id, name, token_hash, created_at, scope) values (?, 'staff', ?, ?, 'full')",
  ).run(accountId, hash(staffToken), now);
  const groupId = Number(
    db
      .prepare(
        "insert into service_groups (office_id, code, letter, name, kind, created_at, updated_at) values (?, 'CC', 'C', 'Căn cước', 'intake', ?, ?)",
      )
      .run(officeId, now, now).lastInsertRowid,
  );
  const counterId = Number(
    db
      .prepare(
        "insert into counters (office_id, number, name, account_id, signed_in_at, created_at, updated_at) values (?, 1, 'Quầy 1', ?, ?, ?, ?)",
      )
      .run(officeId, accountId, now, now, now).lastInsertRowid,
  );
  db.prepare('insert into counter_groups (counter_id, group_id) values (?, ?)').run(
    counterId,
    groupId,
  );
  db.close();
  return { code, kioskToken, staffToken, counterId };
}

/** Kiosks taking numbers: POST /api/v1/queue/tickets over `connections` connections. */
export function ticketIssuing(
  base: string,
  office: QueueOffice,
  connections: number,
): autocannon.Options {
  return {
    url: `${base}/api/v1/queue/tickets`,
    connections,
    method: 'POST',
    headers: { authorization: `Bearer ${office.kioskToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ office: office.code, service_group: 'CC' }),
  };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * values.length) - 1)] ?? 0;

/**
 * `displays` streams on the office's call display; `calls` numbers called one after another
 * (100 ms apart); for each, the milliseconds from sending call-next until the last display heard it.
 */
export async function displayFanOut(
  base: string,
  office: QueueOffice,
  displays: number,
  calls: number,
) {
  const post = (path: string, token: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  for (let i = 0; i < calls; i++) {
    const res = await post('/api/v1/queue/tickets', office.kioskToken, {
      office: office.code,
      service_group: 'CC',
    });
    if (res.status !== 201)
      throw new Error(`display fan-out: a ticket was refused: ${res.status} ${await res.text()}`);
  }
  // Each display notes when it first heard each number; all have their first snapshot before the calls.
  const heard: Map<string, number>[] = Array.from({ length: displays }, () => new Map());
  const snapshots = new Array<number>(displays).fill(0);
  const closers = await Promise.all(
    heard.map((h, d) =>
      openEventStream(
        `${base}/man-hinh/${encodeURIComponent(office.code)}/su-kien`,
        (data: { calls?: { number: string }[] }) => {
          if (!Array.isArray(data.calls))
            throw new Error(`display ${d}: not a snapshot: ${JSON.stringify(data)}`);
          snapshots[d]!++;
          const number = data.calls[0]?.number;
          if (number && !h.has(number)) h.set(number, performance.now());
        },
      ),
    ),
  );
  while (snapshots.some((n) => n === 0)) await new Promise((r) => setTimeout(r, 5));
  const latencies: number[] = [];
  let missed = 0;
  for (let i = 0; i < calls; i++) {
    const sent = performance.now();
    const res = await post(
      `/api/v1/queue/counters/${office.counterId}/call-next`,
      office.staffToken,
      {},
    );
    if (res.status !== 200)
      throw new Error(`display fan-out: call-next refused: ${res.status} ${await res.text()}`);
    const number = ((await res.json()) as { ticket: { number: string } }).ticket.number;
    const deadline = sent + 5000;
    while (heard.some((h) => !h.has(number)) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 2));
    const arrivals = heard.map((h) => h.get(number));
    if (arrivals.some((a) => a === undefined)) missed++;
    latencies.push(Math.max(...arrivals.filter((a): a is number => a !== undefined)) - sent);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const close of closers) close();
  return {
    displays,
    calls,
    missed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: Math.max(...latencies),
  };
}
