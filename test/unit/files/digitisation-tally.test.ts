import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  digitisationRates,
  tallyDigitisation,
  type ReceivedDossier,
} from '../../../src/files/digitisation-tally.js';

const dossier = (
  components: ReceivedDossier['components'],
  over: Partial<ReceivedDossier> = {},
): ReceivedDossier => ({
  officeId: 1,
  procedureCode: '2.000200',
  procedureName: 'Cấp thẻ căn cước',
  components,
  electronicResult: false,
  ...over,
});

describe('the digitisation counts', () => {
  it('counts components received, digitised, reused and on paper, and fully digitised dossiers', () => {
    const { totals, groups } = tallyDigitisation(
      [
        dossier([
          { received: true, state: 'digitised' },
          { received: true, state: 'reused' },
        ]),
        dossier([
          { received: true, state: 'digitised' },
          { received: true, state: null },
          { received: false, state: null }, // not handed in: not counted
        ]),
        dossier([{ received: true, state: 'paper_only' }], {
          procedureCode: '1.004222',
          procedureName: 'Đăng ký thường trú',
        }),
        dossier([{ received: false, state: 'reused_result' }], {
          officeId: 2,
          electronicResult: true,
        }),
      ],
      [
        {
          officeId: 1,
          procedureCode: '2.000200',
          procedureName: 'Cấp thẻ căn cước',
          electronic: true,
        },
        {
          officeId: 1,
          procedureCode: '2.000200',
          procedureName: 'Cấp thẻ căn cước',
          electronic: false,
        },
      ],
    );
    expect(totals).toEqual({
      dossiersReceived: 4,
      componentsReceived: 6,
      componentsDigitised: 4,
      componentsReused: 2,
      componentsPaperOnly: 1,
      dossiersFullyDigitised: 2,
      dossiersWithDigitised: 3,
      dossiersWithReuse: 2,
      resultsGiven: 2,
      resultsElectronic: 1,
    });
    expect(groups.map((g) => [g.officeId, g.procedureCode, g.dossiersReceived])).toEqual([
      [1, '1.004222', 1],
      [1, '2.000200', 2],
      [2, '2.000200', 1],
    ]);
    expect(digitisationRates(totals)).toEqual({
      dossierDigitisationRate: 0.75,
      componentDigitisationRate: 4 / 6,
      reuseRate: 0.5,
      electronicResultRate: 0.5,
    });
    expect(digitisationRates(tallyDigitisation([], []).totals).reuseRate).toBeNull();
  });

  it('keeps its invariants on any history: groups sum to the totals, reused ≤ digitised ≤ received', () => {
    const state = fc.constantFrom(null, 'digitised', 'reused', 'reused_result', 'paper_only');
    const d = fc.record({
      officeId: fc.integer({ min: 1, max: 3 }),
      procedureCode: fc.constantFrom('a', 'b'),
      procedureName: fc.constant('x'),
      components: fc.array(fc.record({ received: fc.boolean(), state }), { maxLength: 6 }),
      electronicResult: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(d, { maxLength: 30 }), (rows) => {
        const { groups, totals } = tallyDigitisation(rows, []);
        expect(groups.reduce((s, g) => s + g.componentsReceived, 0)).toBe(
          totals.componentsReceived,
        );
        expect(totals.componentsReused).toBeLessThanOrEqual(totals.componentsDigitised);
        expect(totals.componentsDigitised + totals.componentsPaperOnly).toBeLessThanOrEqual(
          totals.componentsReceived,
        );
        expect(totals.dossiersFullyDigitised).toBeLessThanOrEqual(totals.dossiersWithDigitised);
        expect(totals.dossiersWithDigitised).toBeLessThanOrEqual(totals.dossiersReceived);
      }),
    );
  });
});
