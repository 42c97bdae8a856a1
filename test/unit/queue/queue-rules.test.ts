import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWorkingHours } from '../../../src/calendar/working-hours.js';
import {
  allowedPriorities,
  bookingCodeFrom,
  callOrder,
  estimatedWaitMinutes,
  formatTicketNumber,
  nextFor,
  peopleAhead,
  placeInOrder,
  slotStarts,
  type WaitingTicket,
} from '../../../src/queue/queue-rules.js';
import { queueReport, type QueueReportRow } from '../../../src/queue/queue-report.js';

const at = (hhmm: string) =>
  `2026-03-10T${String(Number(hhmm.slice(0, 2)) - 7).padStart(2, '0')}:${hhmm.slice(3)}:00.000Z`;
const ticket = (id: number, queued: string, extra: Partial<WaitingTicket> = {}): WaitingTicket => ({
  id,
  groupId: 1,
  queuedAt: at(queued),
  priority: '',
  slotAt: null,
  ...extra,
});

describe('ticket numbers', () => {
  it('are the group letter and a three-digit daily sequence', () => {
    expect(formatTicketNumber('C', 1)).toBe('C001');
    expect(formatTicketNumber('X', 42)).toBe('X042');
    expect(formatTicketNumber('K', 1234)).toBe('K1234');
  });
});

describe('call order', () => {
  const now = new Date(at('09:30'));
  it.each([
    [
      'walk-ins by arrival',
      [ticket(1, '09:05'), ticket(2, '09:01'), ticket(3, '09:10')],
      [2, 1, 3],
    ],
    [
      'a priority ticket before earlier walk-ins',
      [ticket(1, '09:00'), ticket(2, '09:20', { priority: 'elderly' })],
      [2, 1],
    ],
    [
      'an appointment whose slot began before priority and walk-ins',
      [
        ticket(1, '09:00'),
        ticket(2, '09:01', { priority: 'pregnant' }),
        ticket(3, '09:25', { slotAt: at('09:30') }),
      ],
      [3, 2, 1],
    ],
    [
      'an appointment before its slot waits like a walk-in',
      [ticket(1, '09:00'), ticket(2, '08:50', { slotAt: at('10:00') }), ticket(3, '09:10')],
      [2, 1, 3],
    ],
    [
      'two begun slots: the earlier slot first',
      [ticket(1, '09:20', { slotAt: at('09:30') }), ticket(2, '09:25', { slotAt: at('09:00') })],
      [2, 1],
    ],
    ['equal arrival: the lower id first', [ticket(2, '09:00'), ticket(1, '09:00')], [1, 2]],
  ])('%s', (_name, waiting, expected) => {
    expect(callOrder(waiting, now).map((t) => t.id)).toEqual(expected);
  });

  it('a counter takes only its groups; people ahead count within the group', () => {
    const waiting = [ticket(1, '09:00', { groupId: 2 }), ticket(2, '09:05'), ticket(3, '09:06')];
    expect(nextFor(waiting, [1], now)?.id).toBe(2);
    expect(nextFor(waiting, [3], now)).toBeNull();
    expect(peopleAhead(waiting, 3, now)).toBe(1);
    expect(peopleAhead(waiting, 1, now)).toBe(0);
    expect(peopleAhead(waiting, 99, now)).toBeNull();
  });

  it('is a total order: any shuffle of the same tickets comes out the same', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            id: fc.integer({ min: 1, max: 500 }),
            minute: fc.integer({ min: 0, max: 90 }),
            priority: fc.boolean(),
            slot: fc.option(fc.integer({ min: 0, max: 120 })),
          }),
          { selector: (r) => r.id, maxLength: 30 },
        ),
        (rows) => {
          const list = rows.map((r) =>
            ticket(r.id, `09:${String(r.minute % 60).padStart(2, '0')}`, {
              priority: r.priority ? 'elderly' : '',
              slotAt:
                r.slot === null
                  ? null
                  : new Date(Date.parse(at('08:00')) + r.slot * 60_000).toISOString(),
            }),
          );
          const a = callOrder(list, now).map((t) => t.id);
          const b = callOrder([...list].reverse(), now).map((t) => t.id);
          expect(a).toEqual(b);
        },
      ),
    );
  });

  it('places a ticket among others where the call order puts it, without sorting them', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            id: fc.integer({ min: 1, max: 500 }),
            minute: fc.integer({ min: 0, max: 59 }),
            priority: fc.boolean(),
            slot: fc.option(fc.integer({ min: 0, max: 120 })),
          }),
          { selector: (r) => r.id, minLength: 1, maxLength: 30 },
        ),
        (rows) => {
          const list = rows.map((r) =>
            ticket(r.id, `09:${String(r.minute).padStart(2, '0')}`, {
              priority: r.priority ? 'elderly' : '',
              slotAt:
                r.slot === null
                  ? null
                  : new Date(Date.parse(at('08:00')) + r.slot * 60_000).toISOString(),
            }),
          );
          const [newcomer, ...others] = list;
          const sorted = callOrder(list, now).findIndex((t) => t.id === newcomer!.id);
          expect(placeInOrder(callOrder(others, now), newcomer!, now)).toBe(sorted);
        },
      ),
    );
  });
});

describe('estimates, slots, priorities, booking codes', () => {
  it('waits: people ahead and the one being called, shared by the open counters', () => {
    expect(estimatedWaitMinutes(0, 300, 1)).toBe(5);
    expect(estimatedWaitMinutes(3, 300, 2)).toBe(10);
    expect(estimatedWaitMinutes(2, null, 1)).toBe(30); // 10 minutes a ticket before any is served
    expect(estimatedWaitMinutes(2, 300, 0)).toBeNull();
  });

  it('slots fit whole inside the working periods', () => {
    const hours = parseWorkingHours('07:00-08:15,13:30-14:30')!;
    expect(slotStarts(hours, 30)).toEqual(['07:00', '07:30', '13:30', '14:00']);
    expect(slotStarts(hours, 0)).toEqual([]);
  });

  it('the office’s priority rule keeps known reasons only', () => {
    expect(allowedPriorities('elderly, pregnant,vip')).toEqual(['elderly', 'pregnant']);
    expect(allowedPriorities('')).toEqual([]);
  });

  it('booking codes avoid look-alike characters', () => {
    const code = bookingCodeFrom(new Uint8Array([0, 1, 8, 31, 32, 255, 100, 7]));
    expect(code).toMatch(/^DL-[A-HJ-NP-Z2-9]{8}$/);
  });
});

describe('the queue report', () => {
  const row = (r: Partial<QueueReportRow>): QueueReportRow => ({
    state: 'done',
    issued_at: at('09:00'),
    called_at: null,
    serving_at: null,
    last_called_at: null,
    finished_at: null,
    appointment_id: null,
    priority: '',
    groupCode: 'CC',
    groupName: 'Căn cước',
    counterName: 'Quầy 1',
    ...r,
  });

  it('agrees with a row-by-row count on random days', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            issued: fc.integer({ min: 0, max: 600 }),
            wait: fc.option(fc.integer({ min: 0, max: 7200 })),
            service: fc.integer({ min: 0, max: 3600 }),
            state: fc.constantFrom('waiting', 'called', 'serving', 'done', 'no_show'),
            group: fc.constantFrom('CC', 'CT'),
            counter: fc.constantFrom('Quầy 1', 'Quầy 2', null),
          }),
          { maxLength: 60 },
        ),
        (specs) => {
          const base = Date.parse(at('07:00'));
          const rows = specs.map((s) => {
            const issued = base + s.issued * 60_000;
            const called = s.wait === null ? null : issued + s.wait * 1000;
            return row({
              state: s.state,
              issued_at: new Date(issued).toISOString(),
              called_at: called === null ? null : new Date(called).toISOString(),
              last_called_at: called === null ? null : new Date(called).toISOString(),
              finished_at:
                called !== null && s.state === 'done'
                  ? new Date(called + s.service * 1000).toISOString()
                  : null,
              groupCode: s.group,
              groupName: s.group,
              counterName: s.counter,
            });
          });
          const report = queueReport(rows, '(chưa gọi)');
          expect(report.total.tickets).toBe(rows.length);
          for (const g of report.byGroup)
            expect(g.tickets).toBe(rows.filter((r) => r.groupCode === g.code).length);
          expect(report.byHour.reduce((n, h) => n + h.tickets, 0)).toBe(rows.length);
          expect(report.total.noShows).toBe(specs.filter((s) => s.state === 'no_show').length);
          // Nearest-rank median of the waits, by sorting.
          const waits = specs
            .filter((s) => s.wait !== null)
            .map((s) => s.wait!)
            .sort((a, b) => a - b);
          expect(report.total.waitMedian).toBe(
            waits.length ? waits[Math.ceil(waits.length / 2) - 1] : null,
          );
          const services = specs
            .filter((s) => s.wait !== null && s.state === 'done')
            .map((s) => s.service)
            .sort((a, b) => a - b);
          expect(report.total.serviceP90).toBe(
            services.length ? services[Math.ceil(services.length * 0.9) - 1] : null,
          );
        },
      ),
    );
  });

  it('counts a ticket under its local hour of issue', () => {
    const report = queueReport(
      [
        row({ issued_at: at('07:59') }),
        row({ issued_at: at('08:00') }),
        row({ issued_at: at('08:59') }),
      ],
      '-',
    );
    expect(report.byHour.map((h) => [h.hour, h.tickets])).toEqual([
      [7, 1],
      [8, 2],
    ]);
  });
});
