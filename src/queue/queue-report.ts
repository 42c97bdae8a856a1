import { compareVietnamese } from '../lib/fold.js';
import { percentile } from '../reports/step-tally.js';
import { localTimeOf } from '../lib/vietnam-time.js';
import { secondsBetween } from './queue-rules.js';

/**
 * The queue report's figures from the tickets of a period (docs/DOMAIN.md "Queue"): waiting time
 * (issued → first call) and service time (service start, or the last call, → finished) per
 * group, counter and local hour of issue, with median and 90th percentile; no-shows; tickets per
 * hour. Pure: the rows are given.
 */
export interface QueueReportRow {
  state: string;
  issued_at: string;
  called_at: string | null;
  serving_at: string | null;
  last_called_at: string | null;
  finished_at: string | null;
  appointment_id: number | null;
  priority: string;
  groupCode: string;
  groupName: string;
  counterName: string | null;
}

export interface QueueFigures {
  tickets: number;
  served: number;
  noShows: number;
  appointments: number;
  priority: number;
  waitMedian: number | null;
  waitP90: number | null;
  serviceMedian: number | null;
  serviceP90: number | null;
}

function figuresOf(rows: QueueReportRow[]): QueueFigures {
  const waits = rows
    .map((r) => secondsBetween(r.issued_at, r.called_at))
    .filter((s): s is number => s !== null);
  const services = rows
    .filter((r) => r.state === 'done')
    .map((r) => secondsBetween(r.serving_at ?? r.last_called_at, r.finished_at))
    .filter((s): s is number => s !== null);
  return {
    tickets: rows.length,
    served: rows.filter((r) => r.state === 'done').length,
    noShows: rows.filter((r) => r.state === 'no_show').length,
    appointments: rows.filter((r) => r.appointment_id !== null).length,
    priority: rows.filter((r) => r.priority !== '').length,
    waitMedian: percentile(waits, 0.5),
    waitP90: percentile(waits, 0.9),
    serviceMedian: percentile(services, 0.5),
    serviceP90: percentile(services, 0.9),
  };
}

function groupBy<K>(
  rows: QueueReportRow[],
  key: (r: QueueReportRow) => K,
): Map<K, QueueReportRow[]> {
  const map = new Map<K, QueueReportRow[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

export function queueReport(rows: QueueReportRow[], noCounter: string) {
  const byHour = groupBy(rows, (r) => Number(localTimeOf(new Date(r.issued_at)).slice(0, 2)));
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  return {
    total: figuresOf(rows),
    byGroup: [...groupBy(rows, (r) => r.groupCode).entries()].map(([code, list]) => ({
      code,
      name: list[0]!.groupName,
      ...figuresOf(list),
    })),
    byCounter: [...groupBy(rows, (r) => r.counterName ?? noCounter).entries()]
      .sort(([a], [b]) => compareVietnamese(a, b))
      .map(([name, list]) => ({ name, ...figuresOf(list) })),
    byHour: hours.map((hour) => ({ hour, ...figuresOf(byHour.get(hour)!) })),
  };
}
export type QueueReport = ReturnType<typeof queueReport>;
