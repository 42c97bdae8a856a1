import type { Deps } from '../context.js';
import { viReportSections } from '../locale/vi-report-sections.js';
import { viPayments } from '../locale/vi-payments.js';
import type { ReportExtension, ReportValue } from '../reports/extensions.js';
import { feeDue, type Channel, type FeeRule } from './fee-rules.js';
import {
  findCollectedByOffice,
  findFeeDossiers,
  findFeeRulesOf,
  type FeeDossierRow,
} from './fee-report.repository.js';
import { tallyFees, type FeeCounts, type FeeDossier } from './fee-tally.js';
import { PAYMENT_METHODS, type PaymentMethod, type PaymentState } from './payment-states.js';
import { paymentFigures } from './takings.service.js';

/**
 * The report's fee section (docs/DOMAIN.md §10): per office, what the dossiers received in the
 * period owe (due, exempt, to assess, unpaid) and the money taken in the period per method with
 * the online-payment share; and what was collected per procedure and method.
 */
const S = viReportSections;

/** What dossiers alike owe: their payment record's amount, or (before any) the catalog's and the rules'. */
function toFeeDossier(row: FeeDossierRow, rules: FeeRule[]): FeeDossier {
  if (row.has_payment)
    return {
      officeId: row.office_id,
      amountDue: row.payment_amount_due,
      state: row.payment_state as PaymentState,
      dossiers: row.dossiers,
    };
  const due = feeDue(
    rules.filter((r) => r.procedure_code === row.procedure_code),
    {
      procedureCode: row.procedure_code,
      baseFee: row.fee_vnd,
      channel: row.receiving_channel as Channel,
      categories: [],
    },
  );
  return { officeId: row.office_id, amountDue: due.amount, state: 'due', dossiers: row.dossiers };
}

function presentCounts(c: FeeCounts) {
  return {
    fee_dossiers: c.feeDossiers,
    due: c.due,
    exempt: c.exempt,
    to_assess: c.toAssess,
    unpaid: c.unpaid,
    cancelled_or_refunded: c.cancelledOrRefunded,
    collected: { by_method: c.collected, total: c.collectedTotal },
    online_share: c.onlineShare,
  };
}

function line(label: string, c: FeeCounts): ReportValue[] {
  return [
    label,
    c.feeDossiers,
    c.due.count,
    c.due.amount,
    c.exempt,
    c.toAssess,
    c.unpaid.amount,
    ...PAYMENT_METHODS.map((m) => c.collected[m].amount),
    c.collectedTotal.amount,
    c.collectedTotal.count,
    c.onlineShare,
  ];
}

export function paymentsReportExtension(ctx: Deps<'reportDb' | 'masterData'>): ReportExtension {
  return {
    async sections({ officeIds, from, to }) {
      const db = ctx.reportDb;
      const [rows, collected, figures, offices] = await Promise.all([
        findFeeDossiers(db, officeIds, from, to),
        findCollectedByOffice(db, officeIds, from, to),
        paymentFigures(db, officeIds, from, to),
        ctx.masterData.offices(),
      ]);
      const rules = (await findFeeRulesOf(db, [
        ...new Set(rows.filter((r) => !r.has_payment).map((r) => r.procedure_code)),
      ])) as FeeRule[];
      const { byOffice, totals } = tallyFees(
        officeIds,
        rows.map((r) => toFeeDossier(r, rules)),
        collected.map((r) => ({
          officeId: r.office_id,
          method: r.method as PaymentMethod,
          count: r.count,
          amount: r.amount,
        })),
      );
      const officeOf = new Map(offices.map((o) => [o.id, o]));
      // Offices with nothing to show are left out of the table (a province has hundreds).
      const shown = [...byOffice].filter(([, c]) => c.feeDossiers > 0 || c.collectedTotal.count);
      const F = S.fees;
      const method = (m: string) => viPayments.method[m] ?? m;
      return [
        {
          key: 'fees',
          title: F.title,
          note: F.note,
          tables: [
            {
              key: 'fees-by-office',
              caption: F.byOffice,
              columns: [
                { label: S.office, kind: 'text' },
                { label: F.feeDossiers, kind: 'count' },
                { label: F.dueCount, kind: 'count' },
                { label: F.dueAmount, kind: 'money' },
                { label: F.exempt, kind: 'count' },
                { label: F.toAssess, kind: 'count' },
                { label: F.unpaidAmount, kind: 'money' },
                ...PAYMENT_METHODS.map((m) => ({
                  label: F.collected(method(m)),
                  kind: 'money' as const,
                })),
                { label: F.collectedTotal, kind: 'money' },
                { label: F.paidCount, kind: 'count' },
                { label: F.onlineShare, kind: 'percent' },
              ],
              rows: shown.map(([id, c]) => line(officeOf.get(id)?.name ?? String(id), c)),
              total: line(S.total, totals),
            },
            {
              key: 'fees-by-procedure',
              caption: F.byProcedure,
              columns: [
                { label: S.procedure, kind: 'text' },
                { label: F.method, kind: 'text' },
                { label: F.count, kind: 'count' },
                { label: F.amount, kind: 'money' },
              ],
              rows: figures.by_procedure.map((r) => [
                r.procedure_name,
                method(r.method),
                r.count,
                r.amount,
              ]),
              total: [S.total, '', figures.total.count, figures.total.amount],
            },
          ],
          data: {
            by_office: shown.map(([id, c]) => ({
              office: officeOf.get(id)?.code ?? null,
              ...presentCounts(c),
            })),
            totals: presentCounts(totals),
            by_procedure: figures.by_procedure,
          },
        },
      ];
    },
  };
}
