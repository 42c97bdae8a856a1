/**
 * What a dossier must pay: the procedure's fee as the catalog stated it at intake, lowered by the
 * fee rules that apply to it. Pure. Rules are data (`fee_rules`, seeded, editable by an
 * administrator later): each names a procedure, optionally the channel it holds for (online
 * filings pay less) and optionally a category of payer the officer confirms at the counter (a
 * first căn cước, a poor household, …), and the amount it sets (0: exempt). Among the rules that
 * apply, the lowest amount wins, so a citizen always gets the most favourable one and adding a
 * rule can never raise what someone pays (docs/DOMAIN.md §10).
 */
export type Channel = 'counter' | 'online' | 'post';

export interface FeeRule {
  id: number;
  procedure_code: string;
  /** '' for a rule that needs no category (it holds for everyone on its channel). */
  category: string;
  /** null for every channel. */
  channel: Channel | null;
  amount_vnd: number;
  label: string;
  legal_basis: string;
  active: number;
  position: number;
}

export interface FeeFacts {
  procedureCode: string;
  /** The fee the catalog stated at intake; null when it depends on the case (vehicles). */
  baseFee: number | null;
  channel: Channel;
  /** The categories the officer confirmed for this payer (none by default). */
  categories: readonly string[];
}

export interface FeeDue {
  /** null when the base fee depends on the case and no rule settles it: an officer enters it. */
  amount: number | null;
  base: number | null;
  /** The rule that set the amount, when one lowered it. */
  rule: FeeRule | null;
}

/** Whether a rule holds for these facts. */
export function ruleApplies(rule: FeeRule, facts: FeeFacts): boolean {
  return (
    rule.active === 1 &&
    rule.procedure_code === facts.procedureCode &&
    (rule.channel === null || rule.channel === facts.channel) &&
    (rule.category === '' || facts.categories.includes(rule.category))
  );
}

/** The amount due and the rule behind it. */
export function feeDue(rules: readonly FeeRule[], facts: FeeFacts): FeeDue {
  let best: FeeRule | null = null;
  for (const rule of rules) {
    if (!ruleApplies(rule, facts)) continue;
    if (
      !best ||
      rule.amount_vnd < best.amount_vnd ||
      (rule.amount_vnd === best.amount_vnd && rule.position < best.position)
    )
      best = rule;
  }
  const base = facts.baseFee;
  if (best && (base === null || best.amount_vnd < base))
    return { amount: best.amount_vnd, base, rule: best };
  return { amount: base, base, rule: null };
}

/** The categories a procedure's rules offer the officer (each with its rule), in rule order. */
export function categoriesFor(rules: readonly FeeRule[], procedureCode: string): FeeRule[] {
  return rules
    .filter((r) => r.active === 1 && r.procedure_code === procedureCode && r.category !== '')
    .sort((a, b) => a.position - b.position || a.id - b.id);
}
