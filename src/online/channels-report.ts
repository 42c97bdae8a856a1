import type { AppContext } from '../context.js';
import { formatDate } from '../lib/format.js';
import { addDays, startOfLocalDayIso } from '../lib/vietnam-time.js';
import { viReportSections } from '../locale/vi-report-sections.js';
import { vi } from '../locale/vi.js';
import type { ReportExtension, ReportSection, ReportValue } from '../reports/extensions.js';
import {
  countByChannel,
  failingStreams,
  postalDispatches,
  syncRowsIn,
} from './channels-report.repository.js';
import {
  addChannels,
  emptyChannelCounts,
  syncLagOf,
  type ChannelCounts,
  type SyncLag,
} from './channels-tally.js';

const R = vi.post.report;

export interface ChannelFigures {
  offices: { officeId: number; code: string; name: string; counts: ChannelCounts; lag: SyncLag }[];
  totals: ChannelCounts;
  totalLag: SyncLag;
}

/** The figures of the offices over local days from..to (inclusive). */
export async function channelFigures(
  ctx: AppContext,
  period: { officeIds: number[]; from: string; to: string },
): Promise<ChannelFigures> {
  const db = ctx.reportDb;
  const startIso = startOfLocalDayIso(period.from);
  const endIso = startOfLocalDayIso(addDays(period.to, 1));
  const [counts, rows, failing, offices] = await Promise.all([
    countByChannel(db, period.officeIds, period.from, period.to),
    syncRowsIn(db, period.officeIds, startIso, endIso),
    failingStreams(db, period.officeIds),
    ctx.masterData.offices(),
  ]);
  const totals = emptyChannelCounts();
  const rowsOf = new Map<number, typeof rows>();
  for (const r of rows) {
    const list = rowsOf.get(r.office_id);
    if (list) list.push(r);
    else rowsOf.set(r.office_id, [r]);
  }
  const result = period.officeIds
    .map((officeId) => {
      const office = offices.find((o) => o.id === officeId);
      const c = emptyChannelCounts();
      for (const r of counts.filter((r) => r.office_id === officeId)) {
        addChannels(c, r);
        addChannels(totals, r);
      }
      const lag = syncLagOf(
        rowsOf.get(officeId) ?? [],
        failing.find((f) => f.office_id === officeId)?.count ?? 0,
      );
      return { officeId, code: office?.code ?? '', name: office?.name ?? '', counts: c, lag };
    })
    .filter((o) => o.counts.total > 0 || o.lag.changes > 0 || o.lag.failing > 0);
  const totalLag = syncLagOf(
    rows,
    failing.reduce((s, f) => s + f.count, 0),
  );
  return { offices: result, totals, totalLag };
}

const receivingLine = (label: string, c: ChannelCounts): ReportValue[] => [
  label,
  c.receiving.counter,
  c.receiving.online,
  c.receiving.post,
  c.total,
  c.onlineShare,
];
const returnLine = (label: string, c: ChannelCounts): ReportValue[] => [
  label,
  c.returning.counter,
  c.returning.post,
  c.returning.online,
  c.total,
];
const lagLine = (label: string, l: SyncLag): ReportValue[] => [
  label,
  l.changes,
  l.sent,
  l.unsent,
  l.medianSeconds,
  l.p90Seconds,
  l.failing,
];
const countsData = (c: ChannelCounts) => ({
  received: c.total,
  receiving: c.receiving,
  returning: c.returning,
  online_share: c.onlineShare,
});
const lagData = (l: SyncLag) => ({
  changes: l.changes,
  sent: l.sent,
  unsent: l.unsent,
  median_seconds: l.medianSeconds,
  p90_seconds: l.p90Seconds,
  failing: l.failing,
});

export function channelSection(f: ChannelFigures): ReportSection {
  const office = { label: R.office, kind: 'text' as const };
  const count = (label: string) => ({ label, kind: 'count' as const });
  return {
    key: 'channels',
    title: R.title,
    note: R.note,
    tables: [
      {
        key: 'channels-receiving',
        caption: R.byReceiving,
        columns: [
          office,
          count(R.counter),
          count(R.online),
          count(R.post),
          count(R.total),
          { label: R.onlineShare, kind: 'percent' },
        ],
        rows: f.offices.map((o) => receivingLine(o.name, o.counts)),
        total: receivingLine(viReportSections.total, f.totals),
      },
      {
        key: 'channels-return',
        caption: R.byReturn,
        columns: [
          office,
          count(R.returnCounter),
          count(R.returnPost),
          count(R.returnOnline),
          count(R.total),
        ],
        rows: f.offices.map((o) => returnLine(o.name, o.counts)),
        total: returnLine(viReportSections.total, f.totals),
      },
      {
        key: 'channels-sync-lag',
        caption: R.syncLag,
        columns: [
          office,
          count(R.changes),
          count(R.sent),
          count(R.unsent),
          { label: R.medianSeconds, kind: 'seconds' },
          { label: R.p90Seconds, kind: 'seconds' },
          count(R.failing),
        ],
        rows: f.offices.map((o) => lagLine(o.name, o.lag)),
        total: lagLine(viReportSections.total, f.totalLag),
      },
    ],
    data: {
      by_office: f.offices.map((o) => ({
        office: o.code,
        ...countsData(o.counts),
        sync: lagData(o.lag),
      })),
      totals: { ...countsData(f.totals), sync: lagData(f.totalLag) },
    },
  };
}

/**
 * The channels section of the period's report, and the postal dispatch in the tracking book's
 * notes (the book reads its covering index alone, so the note comes through this port).
 */
export function channelsReportExtension(ctx: AppContext): ReportExtension {
  return {
    async sections(period) {
      return [channelSection(await channelFigures(ctx, period))];
    },
    async bookNotes(dossierIds) {
      const rows = await postalDispatches(ctx.reportDb, dossierIds);
      const B = vi.post.book;
      return new Map(
        rows.map((r) => [
          r.id,
          [
            B.sent(r.post_tracking_code ?? ''),
            r.post_delivered_on ? B.delivered(formatDate(r.post_delivered_on)) : '',
          ]
            .filter(Boolean)
            .join(', '),
        ]),
      );
    },
  };
}
