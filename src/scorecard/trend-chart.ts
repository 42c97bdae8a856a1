import { formatPercent } from '../lib/format.js';
import { vi } from '../locale/vi.js';

const t = vi.serviceIndex;

/** One month of an indicator's trend: its value, or null when there was nothing to count. */
export interface TrendPoint {
  month: string;
  value: number | null;
  numerator: number;
  denominator: number;
}

const W = 360;
const H = 140;
const PAD = { left: 34, right: 6, top: 10, bottom: 24 };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * An indicator's last twelve months as bars of its value (0–100 %), server-rendered SVG that
 * prints; a month with nothing to count has no bar and says so in its tooltip. A dashed line
 * marks the target, where the indicator has one.
 */
export function trendChart(name: string, points: TrendPoint[], target: number | null): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, points.length);
  const y = (v: number) => H - PAD.bottom - v * plotH;
  const bars = points
    .map((p, i) => {
      const x = PAD.left + i * step;
      const label = `<text x="${(x + step / 2).toFixed(1)}" y="${H - PAD.bottom + 12}" font-size="9" text-anchor="middle">${esc(p.month.slice(5))}</text>`;
      if (p.value === null)
        return `${label}<title>${esc(t.trend.point(p.month, t.trend.noData))}</title>`;
      const tip = t.trend.point(
        p.month,
        `${formatPercent(p.value)} (${p.numerator}/${p.denominator})`,
      );
      return `${label}<rect x="${(x + step * 0.15).toFixed(1)}" y="${y(p.value).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${(p.value * plotH).toFixed(1)}" fill="#0b5cad"><title>${esc(tip)}</title></rect>`;
    })
    .join('');
  const targetLine =
    target === null
      ? ''
      : `<line x1="${PAD.left}" y1="${y(target).toFixed(1)}" x2="${W - PAD.right}" y2="${y(target).toFixed(1)}" stroke="#9a6100" stroke-dasharray="4 3"/>`;
  const title = t.trend.title(name);
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>` +
    `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#555"/>` +
    `<text x="${PAD.left - 4}" y="${PAD.top + 4}" font-size="9" text-anchor="end">100%</text><text x="${PAD.left - 4}" y="${H - PAD.bottom}" font-size="9" text-anchor="end">0%</text>` +
    `${targetLine}${bars}</svg>`
  );
}
