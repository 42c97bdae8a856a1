import type { Writable } from 'node:stream';
import { csvLine, UTF8_BOM } from '../lib/csv.js';
import { formatDateTime } from '../lib/format.js';
import { VIETNAM_OFFSET_MINUTES } from '../lib/vietnam-time.js';
import { writeWithBackpressure as write } from '../lib/streams.js';
import { XlsxSheetWriter, type XlsxCell } from '../lib/xlsx-sheet-writer.js';
import { vi } from '../locale/vi.js';
import { periodLabel, type Scorecard } from './scorecard.service.js';

const t = vi.serviceIndex;
const ratio = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 10000);

/** The scorecard as rows: a preamble, the header, one row per indicator, the totals. */
export function scorecardRows(card: Scorecard, scopeName: string): XlsxCell[][] {
  const { current, previous } = card;
  return [
    [t.title],
    [t.export.scope, scopeName],
    [t.export.period, periodLabel(current.period)],
    [t.export.previous, periodLabel(previous.period)],
    [t.export.generatedAt, formatDateTime(card.generatedAt)],
    [],
    [...t.export.header],
    ...current.values.map((v, i) => {
      const before = previous.values[i]!;
      const text = t.indicators[v.def.code]!;
      return [
        v.def.code,
        t.groups[v.def.group],
        text.name,
        v.numerator,
        v.denominator,
        ratio(v.value),
        v.points,
        v.def.maxPoints,
        t.status[v.status],
        before.numerator,
        before.denominator,
        ratio(before.value),
        before.points,
        v.status === 'not_measured' ? text.reason : text.formula,
      ];
    }),
    [],
    [t.export.total, current.totals.points, current.totals.scoredMax],
    [t.export.notMeasuredTotal, current.totals.notMeasuredMax],
  ];
}

export async function writeScorecardCsv(out: Writable, rows: XlsxCell[][]): Promise<void> {
  await write(out, UTF8_BOM);
  for (const row of rows) await write(out, csvLine(row));
  out.end();
}

export async function writeScorecardXlsx(
  out: Writable,
  rows: XlsxCell[][],
  now: Date,
): Promise<void> {
  const widths = [20, 26, 48, 10, 10, 10, 10, 10, 22, 12, 12, 12, 12, 80];
  const sheet = await XlsxSheetWriter.open(
    out,
    t.export.sheet,
    widths.map((width) => ({ width })),
    { utcOffsetMinutes: VIETNAM_OFFSET_MINUTES, now },
  );
  for (const [i, row] of rows.entries())
    await sheet.addRow(row, { bold: i === 0 || row === rows[6] });
  await sheet.finish();
}
