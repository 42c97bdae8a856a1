/**
 * What features above the reports add to the period's report without the reports knowing them
 * (docs/ARCHITECTURE.md "Extensions"): the fees (payments) and the digitisation (files) each
 * give a section of tables over the same offices and local days. The report page prints the
 * tables, the summary's CSV and XLSX carry them, and the JSON API returns each section's
 * `data` under its key. `context.ts` combines the features' parts, so the reports import none
 * of them.
 */
/** `seconds`: a duration, shown as one reads it on the page and as plain seconds in exports. */
export type ReportColumnKind = 'text' | 'count' | 'money' | 'percent' | 'seconds';

export interface ReportColumn {
  label: string;
  kind: ReportColumnKind;
}

/** A cell: text, a number (a count, an amount in đồng, or a share from 0 to 1), or empty. */
export type ReportValue = string | number | null;

export interface ReportTable {
  key: string;
  caption: string;
  columns: ReportColumn[];
  rows: ReportValue[][];
  /** The total row, printed apart (a table's foot). */
  total?: ReportValue[];
}

export interface ReportSection {
  /** The section's key in the API (`fees`, `digitisation`) and its anchor on the page. */
  key: string;
  title: string;
  tables: ReportTable[];
  /** A line under the tables: what the figures count. */
  note?: string;
  /** The section's figures for programs (the JSON API), snake_case. */
  data: Record<string, unknown>;
}

export interface ReportPeriod {
  officeIds: number[];
  /** Local days, inclusive. */
  from: string;
  to: string;
}

export interface ReportExtension {
  sections?(period: ReportPeriod): Promise<ReportSection[]>;
  /** A line per dossier for the tracking book's notes (which components are digitised). */
  bookNotes?(dossierIds: number[]): Promise<Map<number, string>>;
}

export interface ReportExtensions {
  sections(period: ReportPeriod): Promise<ReportSection[]>;
  bookNotes(dossierIds: number[]): Promise<Map<number, string>>;
}

/** The parts of several features, in order. */
export function combineReportExtensions(parts: ReportExtension[]): ReportExtensions {
  return {
    // The parts read side by side (on the report read workers, on as many cores), and their
    // sections and notes are put together in the parts' order.
    async sections(period) {
      const each = await Promise.all(parts.map((p) => p.sections?.(period) ?? Promise.resolve([])));
      return each.flat();
    },
    async bookNotes(dossierIds) {
      const notes = new Map<number, string>();
      const each = await Promise.all(
        parts.map((p) => p.bookNotes?.(dossierIds) ?? Promise.resolve(new Map<number, string>())),
      );
      for (const part of each) {
        for (const [id, text] of part)
          notes.set(id, notes.has(id) ? `${notes.get(id)}; ${text}` : text);
      }
      return notes;
    },
  };
}
