import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tallyFees, type FeeDossier } from '../../../src/payments/fee-tally.js';

describe('tallyFees (the report’s fee figures, docs/DOMAIN.md §10)', () => {
  const d = (officeId: number, amountDue: number | null, state: FeeDossier['state']) => ({
    officeId,
    amountDue,
    state,
  });

  it('splits what is due, exempt, to assess and unpaid per office, and totals them', () => {
    const { byOffice, totals } = tallyFees(
      [1, 2],
      [
        d(1, 20000, 'paid'),
        d(1, 15000, 'due'),
        d(1, 20000, 'pending'),
        d(1, 0, 'due'),
        d(1, null, 'due'),
        d(2, 20000, 'cancelled'),
        d(2, 20000, 'refunded'),
        d(3, 20000, 'due'), // an office outside the report: not counted
      ],
      [
        { officeId: 1, method: 'cash', count: 1, amount: 20000 },
        { officeId: 2, method: 'online', count: 3, amount: 30000 },
        { officeId: 3, method: 'online', count: 9, amount: 90000 },
      ],
    );
    expect(byOffice.get(1)).toMatchObject({
      feeDossiers: 5,
      due: { count: 3, amount: 55000 },
      exempt: 1,
      toAssess: 1,
      unpaid: { count: 2, amount: 35000 },
      cancelledOrRefunded: 0,
      collectedTotal: { count: 1, amount: 20000 },
      onlineShare: 0,
    });
    expect(byOffice.get(2)).toMatchObject({
      feeDossiers: 2,
      due: { count: 0, amount: 0 },
      cancelledOrRefunded: 2,
      onlineShare: 1,
    });
    expect(totals).toMatchObject({
      feeDossiers: 7,
      due: { count: 3, amount: 55000 },
      collectedTotal: { count: 4, amount: 50000 },
      onlineShare: 0.75,
    });
    expect(totals.collected.online).toEqual({ count: 3, amount: 30000 });
  });

  it('counts dossiers alike given once with their number as each given alone', () => {
    const alike = fc.record({
      officeId: fc.constantFrom(1, 2, 3),
      amountDue: fc.option(fc.constantFrom(0, 20000, 35000), { freq: 3 }),
      state: fc.constantFrom<FeeDossier['state']>(
        'due',
        'pending',
        'paid',
        'cancelled',
        'refunded',
      ),
      dossiers: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(alike, { maxLength: 12 }), (groups) => {
        const one = groups.flatMap((g) =>
          Array.from({ length: g.dossiers }, () => d(g.officeId, g.amountDue, g.state)),
        );
        expect(tallyFees([1, 2], groups, [])).toEqual(tallyFees([1, 2], one, []));
      }),
    );
  });

  it('has no online share when nothing was paid', () => {
    expect(tallyFees([1], [d(1, 20000, 'due')], []).totals.onlineShare).toBeNull();
  });
});
