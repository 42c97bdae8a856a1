/**
 * Percentiles of a list of numbers, by linear interpolation between the closest ranks (the
 * "R-7" method: Excel's PERCENTILE.INC, numpy's default, PostgreSQL's percentile_cont), computed
 * here rather than in SQL so SQLite and PostgreSQL give the same figure. Pure.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0 || !(p >= 0 && p <= 1)) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (rank - lower);
}

export const median = (values: readonly number[]): number | null => percentile(values, 0.5);
