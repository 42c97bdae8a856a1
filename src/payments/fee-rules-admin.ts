import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf, type CurrentAccount } from '../current-account.js';
import { recordAudit } from '../audit/audit.service.js';
import { UniqueViolationError } from '../db/errors.js';
import { inTransaction } from '../db/transactions.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { viPayments } from '../locale/vi-payments.js';
import { procedureNames } from '../procedures/procedures.service.js';
import { field, formSchema, parseInput, type FormField } from '../validation.js';
import {
  findAllFeeRules,
  findFeeRuleById,
  insertFeeRule,
  nextRulePosition,
  setFeeRuleActive,
} from './fee-rules.repository.js';

/**
 * The administrator's fee rules (`/quan-tri/le-phi`; docs/DOMAIN.md §10): the rules that lower a
 * procedure's fee (an exemption for a category the officer confirms, a lower online rate) are
 * data. A rule is added or switched off, never edited or deleted: a payment names the rule it
 * used, and the lowest amount among the rules that hold wins, so no rule raises a fee.
 */
const L = viPayments.feeRules;
const CHANNELS = ['counter', 'online', 'post'] as const;

export const feeRuleFields = [
  {
    name: 'procedure_code',
    label: L.procedure,
    type: 'select',
    required: true,
    blank: L.procedureBlank,
    schema: field.text(1, 40, L.procedureRequired),
  },
  {
    name: 'category',
    label: L.category,
    hint: L.categoryHint,
    schema: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim().toLowerCase() : (v ?? '')),
      z.string({ message: L.categoryInvalid }).regex(/^[a-z0-9_]{0,40}$/, L.categoryInvalid),
    ),
  },
  {
    name: 'channel',
    label: L.channel,
    type: 'select',
    blank: L.channelAny,
    options: CHANNELS.map((c) => [c, L.channels[c]] as [string, string]),
    schema: z.preprocess(
      (v) => (v === '' || v === undefined ? null : v),
      z.enum(CHANNELS, { message: L.channelInvalid }).nullable(),
    ),
  },
  {
    name: 'amount_vnd',
    label: L.amount,
    type: 'number',
    required: true,
    hint: L.amountHint,
    schema: field.int(0, 100_000_000, L.amountInvalid),
  },
  {
    name: 'label',
    label: L.label,
    required: true,
    wide: true,
    schema: field.text(3, 200, L.labelRequired),
  },
  { name: 'legal_basis', label: L.legalBasis, wide: true, schema: field.optionalText(300) },
] as const satisfies readonly FormField[];

const feeRuleSchema = formSchema(feeRuleFields);

export async function listFeeRules(ctx: AppContext) {
  const [rules, procedures] = await Promise.all([findAllFeeRules(ctx.db), procedureNames(ctx)]);
  const nameOf = new Map(procedures.map((p) => [p.code, p.name]));
  return {
    rules: rules.map((r) => ({ ...r, procedure_name: nameOf.get(r.procedure_code) ?? '' })),
    procedureOptions: procedures
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((p) => [p.code, `${p.code} — ${p.name}`] as [string, string]),
  };
}

export async function createFeeRule(
  ctx: AppContext,
  admin: CurrentAccount,
  raw: unknown,
): Promise<number> {
  const input = parseInput(feeRuleSchema, raw);
  if (!(await procedureNames(ctx)).some((p) => p.code === input.procedure_code))
    throw new ValidationError({ procedure_code: L.procedureRequired });
  if (input.category === '' && input.channel === null)
    throw new ValidationError({ category: L.needsCondition });
  // One rule per procedure, category and channel (a seeded one included): switch it, do not add.
  const same = (await findAllFeeRules(ctx.db)).some(
    (r) =>
      r.procedure_code === input.procedure_code &&
      r.category === input.category &&
      r.channel === input.channel,
  );
  if (same) throw new ValidationError({ category: L.duplicate });
  const nowIso = ctx.clock.now().toISOString();
  const code = [input.procedure_code, input.channel ?? 'all', input.category || 'all'].join('-');
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const id = await insertFeeRule(tx, {
        code,
        procedure_code: input.procedure_code,
        category: input.category,
        channel: input.channel,
        amount_vnd: input.amount_vnd,
        label: input.label,
        legal_basis: input.legal_basis,
        active: 1,
        position: await nextRulePosition(tx, input.procedure_code),
        created_at: nowIso,
        updated_at: nowIso,
      });
      await recordAudit(tx, {
        at: ctx.clock.now(),
        actor: actorOf(admin),
        action: 'fee_rule.created',
        subject: code,
        details: { amount: input.amount_vnd, label: input.label },
      });
      return id;
    });
  } catch (err) {
    if (err instanceof UniqueViolationError) throw new ValidationError({ category: L.duplicate });
    throw err;
  }
}

export async function switchFeeRule(
  ctx: AppContext,
  admin: CurrentAccount,
  id: number,
  raw: unknown,
): Promise<void> {
  const active = (raw as Record<string, unknown> | undefined)?.active === '1';
  await inTransaction(ctx.db, async (tx) => {
    const rule = await findFeeRuleById(tx, id);
    if (!rule) throw new NotFoundError();
    await setFeeRuleActive(tx, id, active, ctx.clock.now().toISOString());
    await recordAudit(tx, {
      at: ctx.clock.now(),
      actor: actorOf(admin),
      action: active ? 'fee_rule.activated' : 'fee_rule.deactivated',
      subject: rule.code,
      details: {},
    });
  });
}
