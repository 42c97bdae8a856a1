import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../src/lib/format.js';
import { localDateOf, localTimeOf } from '../../src/lib/vietnam-time.js';

describe('formatDateTime', () => {
  it('writes Vietnam wall-clock time, across the 17:00 UTC day boundary and month and year ends', () => {
    expect(formatDateTime('2026-03-09T16:59:59.999Z')).toBe('23:59 09/03/2026');
    expect(formatDateTime('2026-03-09T17:00:00.000Z')).toBe('00:00 10/03/2026');
    expect(formatDateTime('2026-02-28T17:30:00Z')).toBe('00:30 01/03/2026');
    expect(formatDateTime('2025-12-31T18:00:00.000Z')).toBe('01:00 01/01/2026');
    expect(formatDateTime('2026-01-01T02:05:00.000Z')).toBe('09:05 01/01/2026');
    expect(formatDateTime(new Date('2026-01-01T02:05:00.000Z'))).toBe('09:05 01/01/2026');
    expect(formatDateTime(null)).toBe('—');
  });

  it('gives, for stored instants, what the Date-based conversion gives', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.boolean(),
        (d, withMillis) => {
          const iso = withMillis ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
          const [y, m, day] = localDateOf(d).split('-');
          expect(formatDateTime(iso)).toBe(`${localTimeOf(d)} ${day}/${m}/${y}`);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
