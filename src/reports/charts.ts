import { formatDate } from '../lib/format.js';
import { vi } from '../locale/vi.js';

const C = vi.reports.charts;

/**
 * Small server-rendered SVG charts: no script, print well, readable by screen readers through
 * their <title> and the table beside them.
 */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface DayPoint {
  day: string;
  received: number;
  resolved: number;
  inTime: number;
}

const W = 720;
const H = 220;
const PAD = { left: 36, right: 10, top: 14, bottom: 34 };

function frame(title: string, body: string, yLabels: string): string {
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>` +
    `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#555"/>${yLabels}${body}</svg>`
  );
}

function xLabels(days: DayPoint[], step: number, slot: number): string {
  const every = Math.max(1, Math.ceil(days.length / 12));
  return days
    .map((d, i) =>
      i % every === 0
        ? `<text x="${PAD.left + i * step + slot / 2}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle">${esc(formatDate(d.day).slice(0, 5))}</text>`
        : '',
    )
    .join('');
}

/** Dossiers received and resolved per day, as paired bars. */
export function receivedChart(days: DayPoint[]): string {
  const max = Math.max(1, ...days.map((d) => Math.max(d.received, d.resolved)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, days.length);
  const bar = Math.max(1, step * 0.4);
  const y = (v: number) => H - PAD.bottom - (v / max) * plotH;
  const bars = days
    .map((d, i) => {
      const x = PAD.left + i * step + step * 0.1;
      return (
        `<rect x="${x.toFixed(1)}" y="${y(d.received).toFixed(1)}" width="${bar.toFixed(1)}" height="${(H - PAD.bottom - y(d.received)).toFixed(1)}" fill="#0b5cad"><title>${esc(C.receivedTip(formatDate(d.day), d.received))}</title></rect>` +
        `<rect x="${(x + bar).toFixed(1)}" y="${y(d.resolved).toFixed(1)}" width="${bar.toFixed(1)}" height="${(H - PAD.bottom - y(d.resolved)).toFixed(1)}" fill="#1e7b34"><title>${esc(C.resolvedTip(formatDate(d.day), d.resolved))}</title></rect>`
      );
    })
    .join('');
  const yLabels = `<text x="${PAD.left - 4}" y="${PAD.top + 4}" font-size="10" text-anchor="end">${max}</text><text x="${PAD.left - 4}" y="${H - PAD.bottom}" font-size="10" text-anchor="end">0</text>`;
  const legend =
    `<rect x="${PAD.left}" y="${H - 12}" width="10" height="10" fill="#0b5cad"/><text x="${PAD.left + 14}" y="${H - 3}" font-size="11">${esc(C.receivedLegend)}</text>` +
    `<rect x="${PAD.left + 90}" y="${H - 12}" width="10" height="10" fill="#1e7b34"/><text x="${PAD.left + 104}" y="${H - 3}" font-size="11">${esc(C.resolvedLegend)}</text>`;
  return frame(C.receivedTitle, bars + xLabels(days, step, step * 0.8) + legend, yLabels);
}

/** Share of results ready early or on time, per day with results. */
export function onTimeChart(days: DayPoint[]): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, days.length);
  const bars = days
    .map((d, i) => {
      if (d.resolved === 0) return '';
      const share = d.inTime / d.resolved;
      const h = share * plotH;
      const x = PAD.left + i * step + step * 0.15;
      return `<rect x="${x.toFixed(1)}" y="${(H - PAD.bottom - h).toFixed(1)}" width="${Math.max(1, step * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="${share >= 0.95 ? '#1e7b34' : share >= 0.8 ? '#9a6100' : '#b3261e'}"><title>${esc(C.onTimeTip(formatDate(d.day), Math.round(share * 100), d.inTime, d.resolved))}</title></rect>`;
    })
    .join('');
  const yLabels =
    `<text x="${PAD.left - 4}" y="${PAD.top + 4}" font-size="10" text-anchor="end">100%</text><text x="${PAD.left - 4}" y="${H - PAD.bottom}" font-size="10" text-anchor="end">0%</text>` +
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${W - PAD.right}" y2="${PAD.top}" stroke="#ccc" stroke-dasharray="4 3"/>`;
  return frame(C.onTimeTitle, bars + xLabels(days, step, step * 0.85), yLabels);
}
