import { describe, expect, it } from 'vitest';
import { parseReportQuery } from '../../../src/reports/reports.service.js';

const days = (period: string, today: string) => {
  const q = parseReportQuery({ period }, today);
  return [q.from, q.to];
};

describe('the report periods', () => {
  it('last month is the whole calendar month before today’s, whatever day today is', () => {
    expect(days('last_month', '2026-03-01')).toEqual(['2026-02-01', '2026-02-28']);
    expect(days('last_month', '2026-03-31')).toEqual(['2026-02-01', '2026-02-28']);
    expect(days('last_month', '2028-03-15')).toEqual(['2028-02-01', '2028-02-29']); // leap year
    expect(days('last_month', '2026-01-10')).toEqual(['2025-12-01', '2025-12-31']); // year before
    expect(days('last_month', '2026-08-01')).toEqual(['2026-07-01', '2026-07-31']);
  });

  it('this month and last month meet without a gap', () => {
    for (const today of ['2026-01-01', '2026-02-14', '2026-12-31']) {
      const [, lastTo] = days('last_month', today);
      const [thisFrom] = days('month', today);
      expect(lastTo! < thisFrom!).toBe(true);
      expect(
        new Date(`${thisFrom}T00:00:00Z`).getTime() - new Date(`${lastTo}T00:00:00Z`).getTime(),
      ).toBe(86_400_000);
    }
  });

  it('ignores typed days unless the period is "custom"', () => {
    const q = parseReportQuery(
      { period: 'last_month', from: '01/01/2020', to: '31/12/2020' },
      '2026-03-10',
    );
    expect([q.from, q.to]).toEqual(['2026-02-01', '2026-02-28']);
  });
});
