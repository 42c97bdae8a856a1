import { addDays, dayOfWeek } from '../lib/vietnam-time.js';

export interface GridCell {
  date: number;
  kind: string;
  name?: string;
}

/** A year as twelve month tables of Monday-first weeks, each day marked with its kind. Pure. */
export function yearGrid(year: number, special: { day: string; kind: string; name: string }[]) {
  const byDay = new Map(special.map((d) => [d.day, d]));
  return Array.from({ length: 12 }, (_, m) => {
    const first = `${year}-${String(m + 1).padStart(2, '0')}-01`;
    const cells: (GridCell | null)[] = Array((dayOfWeek(first) + 6) % 7).fill(null);
    for (let d = first; d.slice(5, 7) === first.slice(5, 7); d = addDays(d, 1)) {
      const entry = byDay.get(d);
      const weekend = dayOfWeek(d) === 0 || dayOfWeek(d) === 6;
      cells.push({
        date: Number(d.slice(8)),
        kind: entry?.kind ?? (weekend ? 'weekend' : 'workday'),
        ...(entry ? { name: entry.name } : {}),
      });
    }
    const weeks: (GridCell | null)[][] = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
    return { number: m + 1, weeks };
  });
}
