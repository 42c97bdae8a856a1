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

export function tallyDigitisation(
  received: ReceivedDossier[],
  results: ResultGiven[],
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
  for (const d of received) {
    const g = groupOf(d);
    g.dossiersReceived++;
    const { handed, digitised, reused, paperOnly } = digitisationOf(d.components);
    g.componentsReceived += handed;
    g.componentsDigitised += digitised;
    g.componentsReused += reused;
    g.componentsPaperOnly += paperOnly;
    if (handed > 0 && digitised === handed) g.dossiersFullyDigitised++;
    if (digitised > 0 || d.electronicResult) g.dossiersWithDigitised++;
    if (reused > 0) g.dossiersWithReuse++;
  }
  for (const r of results) {
    const g = groupOf(r);
    g.resultsGiven++;
    if (r.electronic) g.resultsElectronic++;
  }
  const sorted = [...groups.values()].sort(
    (a, b) => a.officeId - b.officeId || a.procedureCode.localeCompare(b.procedureCode),
  );
  const totals = emptyCounts();
  for (const g of sorted)
    for (const k of Object.keys(totals) as (keyof DigitisationCounts)[]) totals[k] += g[k];
  return { groups: sorted, totals };
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
