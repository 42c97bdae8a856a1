import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  STREAMS_PER_DISPLAY_TOKEN,
  STREAMS_PER_TICKET,
  StreamGate,
  type StreamKind,
} from '../../../src/queue/stream-gate.js';

const limits = { max: 10, perClient: 3, reservedDisplays: 2, reservedPhones: 3 };

describe('the stream gate', () => {
  it('caps each client address, then keeps the displays’ and the phones’ places', () => {
    const gate = new StreamGate(limits);
    // One address: three streams, then "client".
    for (let i = 0; i < 3; i++) expect(gate.admit('public', '10.0.0.1').ok).toBe(true);
    expect(gate.admit('public', '10.0.0.1')).toEqual({ ok: false, reason: 'client' });
    // Other addresses fill what the reserves leave (10 − 2 − 3 = 5), then "full".
    expect(gate.admit('public', '10.0.0.2').ok).toBe(true);
    expect(gate.admit('public', '10.0.0.3').ok).toBe(true);
    expect(gate.admit('public', '10.0.0.4')).toEqual({ ok: false, reason: 'full' });
    // Phones of live tickets still get their three places, and the displays their two.
    for (const ticket of ['1', '2', '3']) expect(gate.admit('phone', ticket).ok).toBe(true);
    expect(gate.admit('phone', '4')).toEqual({ ok: false, reason: 'full' });
    expect(gate.admit('display', 'hall').ok).toBe(true);
    expect(gate.admit('display', 'hall').ok).toBe(true);
    expect(gate.admit('display', 'hall')).toEqual({ ok: false, reason: 'full' });
    expect(gate.total).toBe(10);
  });

  it('gives a place back once, when its stream ends', () => {
    const gate = new StreamGate(limits);
    const held = [1, 2, 3].map(() => gate.admit('public', 'a'));
    expect(gate.admit('public', 'a').ok).toBe(false);
    const first = held[0]!;
    if (!first.ok) throw new Error('admitted');
    first.release();
    first.release(); // a second close changes nothing
    expect(gate.count('public')).toBe(2);
    expect(gate.admit('public', 'a').ok).toBe(true);
    expect(gate.admit('public', 'a').ok).toBe(false);
  });

  it('caps one ticket’s phone pages and one display token’s screens', () => {
    const gate = new StreamGate({
      max: 1000,
      perClient: 3,
      reservedDisplays: 10,
      reservedPhones: 10,
    });
    for (let i = 0; i < STREAMS_PER_TICKET; i++) expect(gate.admit('phone', '7').ok).toBe(true);
    expect(gate.admit('phone', '7')).toEqual({ ok: false, reason: 'client' });
    expect(gate.admit('phone', '8').ok).toBe(true);
    for (let i = 0; i < STREAMS_PER_DISPLAY_TOKEN; i++)
      expect(gate.admit('display', 'x').ok).toBe(true);
    expect(gate.admit('display', 'x')).toEqual({ ok: false, reason: 'client' });
  });

  it('never passes its size, and an unused reserve is always there (any sequence of opens and closes)', () => {
    const op = fc.record({
      kind: fc.constantFrom<StreamKind>('display', 'phone', 'public'),
      key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      close: fc.nat(20),
    });
    fc.assert(
      fc.property(
        fc.record({
          max: fc.integer({ min: 1, max: 30 }),
          perClient: fc.integer({ min: 1, max: 10 }),
          reservedDisplays: fc.integer({ min: 0, max: 10 }),
          reservedPhones: fc.integer({ min: 0, max: 10 }),
        }),
        fc.array(op, { maxLength: 120 }),
        (raw, ops) => {
          const l = {
            ...raw,
            reservedDisplays: Math.min(raw.reservedDisplays, raw.max),
            reservedPhones: Math.min(
              raw.reservedPhones,
              raw.max - Math.min(raw.reservedDisplays, raw.max),
            ),
          };
          const gate = new StreamGate(l);
          const open: (() => void)[] = [];
          for (const o of ops) {
            if (o.close < 5 && open.length) open.splice(o.close % open.length, 1)[0]!();
            else {
              const a = gate.admit(o.kind, o.key);
              if (a.ok) open.push(a.release);
            }
            expect(gate.total).toBeLessThanOrEqual(l.max);
            // A display below its reserve always finds a place.
            if (gate.count('display') < l.reservedDisplays)
              expect(gate.room('display')).toBeGreaterThan(0);
            // So does a phone below its reserve, while the displays keep within theirs.
            if (
              gate.count('phone') < l.reservedPhones &&
              gate.count('display') <= l.reservedDisplays
            )
              expect(gate.room('phone')).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});
