/**
 * The digitisation counts of a period (docs/DOMAIN.md §11), pure: per office and procedure,
 * from each dossier's checklist and the state of its components' current files.
 */
export interface ReceivedDossier {
  officeId: number;
  procedureCode: string;
  procedureName: string;
  /** Each component of the checklist: ticked as received, and the state of its current files. */
  components: { received: boolean; state: string | null }[];
  /** The dossier's current result files are digitised. */
  electronicResult: boolean;
}

export interface ResultGiven {
  officeId: number;
  procedureCode: string;
  procedureName: string;
  electronic: boolean;
}

export interface DigitisationCounts {
  dossiersReceived: number;
  /** Components handed in: ticked on the checklist, or with a file attached. */
  componentsReceived: number;
  /** Of those, with a current scan (digitised or reused). */
  componentsDigitised: number;
  /** Of those, reused (from another dossier's component or result). */
  componentsReused: number;
  /** "Original seen, copy kept on paper". */
  componentsPaperOnly: number;
  /** Every component received is digitised or reused (and there is at least one). */
  dossiersFullyDigitised: number;
  /** At least one component digitised or reused, or an electronic result (QĐ 766's "có số hóa"). */
  dossiersWithDigitised: number;
  /** At least one component reused. */
  dossiersWithReuse: number;
  /** Dossiers whose result was given in the period (result ready or returned). */
  resultsGiven: number;
  /** Of those, with the result attached electronically. */
  resultsElectronic: number;
}

export interface DigitisationGroup extends DigitisationCounts {
  officeId: number;
  procedureCode: string;
  procedureName: string;
}

const DIGITISED = new Set(['digitised', 'reused', 'reused_result']);
const REUSED = new Set(['reused', 'reused_result']);

export function emptyCounts(): DigitisationCounts {
  return {
    dossiersReceived: 0,
    componentsReceived: 0,
    componentsDigitised: 0,
    componentsReused: 0,
    componentsPaperOnly: 0,
    dossiersFullyDigitised: 0,
    dossiersWithDigitised: 0,
    dossiersWithReuse: 0,
    resultsGiven: 0,
    resultsElectronic: 0,
  };
}

/** One dossier's components: handed in, digitised (or reused), reused, kept on paper. */
export function digitisationOf(components: ReceivedDossier['components']) {
  const handed = components.filter((c) => c.received || c.state !== null);
  return {
    handed: handed.length,
    digitised: handed.filter((c) => c.state !== null && DIGITISED.has(c.state)).length,
    reused: handed.filter((c) => c.state !== null && REUSED.has(c.state)).length,
    paperOnly: handed.filter((c) => c.state === 'paper_only').length,
  };
}

/**
 * What the reports count of a component with several current files in different states (say, a
 * paper-only note and a scan attached later): the strongest, in this order. The report's SQL
 * (report.repository countReceivedDigitisation) orders by the same list.
 */
export const STATE_PRECEDENCE = ['reused_result', 'reused', 'digitised', 'paper_only'] as const;

/** The stronger of two states of one component's current files (STATE_PRECEDENCE). */
export function strongerState(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  const rank = (s: string) => {
    const i = (STATE_PRECEDENCE as readonly string[]).indexOf(s);
    return i < 0 ? STATE_PRECEDENCE.length : i;
  };
  return rank(b) < rank(a) ? b : a;
}

/** The dossiers of one office and procedure received in the period, counted (SQL or tallyDigitisation). */
export interface ReceivedGroup {
  officeId: number;
  procedureCode: string;
  procedureName: string;
  dossiers: number;
  handed: number;
  digitised: number;
  reused: number;
  paperOnly: number;
  fullyDigitised: number;
  withDigitised: number;
  withReuse: number;
}

/** The results of one office and procedure given in the period, counted. */
export interface ResultsGroup {
  officeId: number;
  procedureCode: string;
  procedureName: string;
  given: number;
  electronic: number;
}

/**
 * The counts per office and procedure from counted groups, sorted by office then procedure code.
 * A group's name is the first one met (groups of one procedure under two names, renamed in the
 * period, are one group): received groups first, then results, each in the order given.
 */
export function tallyDigitisationGroups(
  received: readonly ReceivedGroup[],
  results: readonly ResultsGroup[],
): { groups: DigitisationGroup[]; totals: DigitisationCounts } {
  const groups = new Map<string, DigitisationGroup>();
  const groupOf = (d: { officeId: number; procedureCode: string; procedureName: string }) => {
    const key = `${d.officeId}|${d.procedureCode}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        officeId: d.officeId,
        procedureCode: d.procedureCode,
        procedureName: d.procedureName,
        ...emptyCounts(),
      };
      groups.set(key, g);
    }
    return g;
  };
  for (const r of received) {
    const g = groupOf(r);
    g.dossiersReceived += r.dossiers;
    g.componentsReceived += r.handed;
    g.componentsDigitised += r.digitised;
    g.componentsReused += r.reused;
    g.componentsPaperOnly += r.paperOnly;
    g.dossiersFullyDigitised += r.fullyDigitised;
    g.dossiersWithDigitised += r.withDigitised;
    g.dossiersWithReuse += r.withReuse;
  }
  for (const r of results) {
    const g = groupOf(r);
    g.resultsGiven += r.given;
    g.resultsElectronic += r.electronic;
  }
  const sorted = [...groups.values()].sort(
    (a, b) => a.officeId - b.officeId || a.procedureCode.localeCompare(b.procedureCode),
  );
  const totals = emptyCounts();
  for (const g of sorted)
    for (const k of Object.keys(totals) as (keyof DigitisationCounts)[]) totals[k] += g[k];
  return { groups: sorted, totals };
}

/** The counts from each dossier's components and each result given (the definition, dossier by dossier). */
export function tallyDigitisation(
  received: ReceivedDossier[],
  results: ResultGiven[],
): { groups: DigitisationGroup[]; totals: DigitisationCounts } {
  return tallyDigitisationGroups(
    received.map((d) => {
      const { handed, digitised, reused, paperOnly } = digitisationOf(d.components);
      return {
        officeId: d.officeId,
        procedureCode: d.procedureCode,
        procedureName: d.procedureName,
        dossiers: 1,
        handed,
        digitised,
        reused,
        paperOnly,
        fullyDigitised: handed > 0 && digitised === handed ? 1 : 0,
        withDigitised: digitised > 0 || d.electronicResult ? 1 : 0,
        withReuse: reused > 0 ? 1 : 0,
      };
    }),
    results.map((r) => ({
      officeId: r.officeId,
      procedureCode: r.procedureCode,
      procedureName: r.procedureName,
      given: 1,
      electronic: r.electronic ? 1 : 0,
    })),
  );
}

/** The ratios of QĐ 766's digitisation group, over the counts (null when nothing to divide by). */
export function digitisationRates(c: DigitisationCounts) {
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    /** Dossiers with a digitised component or result / dossiers received. */
    dossierDigitisationRate: ratio(c.dossiersWithDigitised, c.dossiersReceived),
    componentDigitisationRate: ratio(c.componentsDigitised, c.componentsReceived),
    reuseRate: ratio(c.dossiersWithReuse, c.dossiersReceived),
    electronicResultRate: ratio(c.resultsElectronic, c.resultsGiven),
  };
}
