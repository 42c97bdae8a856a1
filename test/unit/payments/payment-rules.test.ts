import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categoriesFor, feeDue, type FeeRule } from '../../../src/payments/fee-rules.js';
import {
  actionsFrom,
  allowsReturn,
  isSettled,
  nextPaymentState,
  PAYMENT_STATES,
  type PaymentAction,
  type PaymentState,
} from '../../../src/payments/payment-states.js';
import { checkCallbackSignature, signCallback } from '../../../src/payments/callback-signature.js';

const rule = (r: Partial<FeeRule>): FeeRule => ({
  id: 1,
  procedure_code: '1.004222',
  category: '',
  channel: null,
  amount_vnd: 0,
  label: '',
  legal_basis: '',
  active: 1,
  position: 0,
  ...r,
});

const RULES: FeeRule[] = [
  rule({ id: 1, channel: 'online', amount_vnd: 10000, label: 'online' }),
  rule({ id: 2, category: 'child', amount_vnd: 0, label: 'child' }),
  rule({ id: 3, procedure_code: '2.000200', category: '', amount_vnd: 0, label: 'first card' }),
  rule({ id: 4, category: 'poor', amount_vnd: 0, active: 0, label: 'retired rule' }),
];

describe('the fee due', () => {
  const facts = { procedureCode: '1.004222', baseFee: 20000, channel: 'counter' as const };

  it('is the catalog fee when no rule applies', () => {
    expect(feeDue(RULES, { ...facts, categories: [] })).toEqual({
      amount: 20000,
      base: 20000,
      rule: null,
    });
  });

  it('is lowered by a channel rule and by a confirmed category, the lowest winning', () => {
    expect(feeDue(RULES, { ...facts, channel: 'online', categories: [] })).toMatchObject({
      amount: 10000,
      rule: { id: 1 },
    });
    expect(feeDue(RULES, { ...facts, channel: 'online', categories: ['child'] })).toMatchObject({
      amount: 0,
      rule: { id: 2 },
    });
  });

  it('ignores inactive rules, other procedures and unconfirmed categories', () => {
    expect(feeDue(RULES, { ...facts, categories: ['poor'] }).amount).toBe(20000);
    expect(feeDue(RULES, { ...facts, categories: ['veteran'] }).amount).toBe(20000);
  });

  it('makes a first căn cước free whatever the catalog says', () => {
    expect(
      feeDue(RULES, {
        procedureCode: '2.000200',
        baseFee: 50000,
        channel: 'counter',
        categories: [],
      }),
    ).toMatchObject({ amount: 0, rule: { label: 'first card' } });
  });

  it('settles a fee by case only through a rule; otherwise the amount stays unknown', () => {
    expect(feeDue(RULES, { ...facts, baseFee: null, categories: [] }).amount).toBeNull();
    expect(feeDue(RULES, { ...facts, baseFee: null, categories: ['child'] }).amount).toBe(0);
  });

  it('never exceeds the base, and a new rule never raises it (property)', () => {
    const arbRule = fc.record({
      id: fc.integer({ min: 1, max: 1000 }),
      procedure_code: fc.constantFrom('1.004222', '2.000200'),
      category: fc.constantFrom('', 'child', 'poor'),
      channel: fc.constantFrom(null, 'counter' as const, 'online' as const),
      amount_vnd: fc.integer({ min: 0, max: 100000 }),
      label: fc.constant(''),
      legal_basis: fc.constant(''),
      active: fc.constantFrom(0, 1),
      position: fc.integer({ min: 0, max: 10 }),
    });
    fc.assert(
      fc.property(
        fc.array(arbRule, { maxLength: 8 }),
        arbRule,
        fc.integer({ min: 0, max: 100000 }),
        fc.subarray(['child', 'poor']),
        fc.constantFrom('counter' as const, 'online' as const, 'post' as const),
        (rules, extra, baseFee, categories, channel) => {
          const f = { procedureCode: '1.004222', baseFee, channel, categories };
          const before = feeDue(rules, f).amount!;
          expect(before).toBeLessThanOrEqual(baseFee);
          expect(feeDue([...rules, extra], f).amount!).toBeLessThanOrEqual(before);
        },
      ),
    );
  });

  it('offers the categories of a procedure’s active rules in order', () => {
    expect(categoriesFor(RULES, '1.004222').map((r) => r.category)).toEqual(['child']);
  });
});

describe('the payment’s states', () => {
  it.each<[PaymentState, PaymentAction, PaymentState | null]>([
    ['due', 'await', 'pending'],
    ['pending', 'unawait', 'due'],
    ['due', 'pay', 'paid'],
    ['pending', 'pay', 'paid'],
    ['due', 'cancel', 'cancelled'],
    ['pending', 'cancel', 'cancelled'],
    ['paid', 'refund', 'refunded'],
    ['due', 'set_amount', 'due'],
    ['paid', 'pay', null],
    ['paid', 'cancel', null],
    ['cancelled', 'pay', null],
    ['refunded', 'refund', null],
    ['due', 'refund', null],
    ['paid', 'set_amount', null],
  ])('%s --%s--> %s', (from, action, to) => {
    expect(nextPaymentState(from, action)).toBe(to);
  });

  it('ends in paid, cancelled or refunded: nothing leaves cancelled or refunded', () => {
    for (const s of ['cancelled', 'refunded'] as const) expect(actionsFrom(s)).toEqual([]);
    expect(actionsFrom('paid')).toEqual(['refund']);
    for (const s of PAYMENT_STATES)
      for (const a of actionsFrom(s)) expect(nextPaymentState(s, a)).not.toBeNull();
  });

  it('lets a result go back only when nothing is owed', () => {
    expect(allowsReturn({ state: 'due', amountDue: 20000 })).toBe(false);
    expect(allowsReturn({ state: 'pending', amountDue: 20000 })).toBe(false);
    expect(allowsReturn({ state: 'due', amountDue: null })).toBe(false);
    expect(allowsReturn({ state: 'paid', amountDue: 20000 })).toBe(true);
    expect(allowsReturn({ state: 'due', amountDue: 0 })).toBe(true);
    expect(allowsReturn({ state: 'cancelled', amountDue: 20000 })).toBe(true);
    expect(isSettled({ state: 'cancelled', amountDue: 20000 })).toBe(false);
  });
});

describe('callback signatures', () => {
  const secret = 's'.repeat(40);
  const body = Buffer.from('{"transaction_id":"FT1","amount":20000}');
  const now = 1_773_108_000_000;
  const ts = String(now / 1000);
  const check = (over: Partial<Parameters<typeof checkCallbackSignature>[0]>) =>
    checkCallbackSignature({
      secret,
      timestamp: ts,
      signature: signCallback(secret, ts, body),
      rawBody: body,
      nowMs: now,
      windowSeconds: 300,
      ...over,
    });

  it('accepts the signed body at its time and inside the window', () => {
    expect(check({})).toBeNull();
    expect(check({ nowMs: now + 299_000 })).toBeNull();
  });

  it('refuses a changed body, another secret, a re-dated timestamp, a stale one, none', () => {
    expect(check({ rawBody: Buffer.from('{"transaction_id":"FT1","amount":90000}') })).toBe(
      'mismatch',
    );
    expect(check({ signature: signCallback('t'.repeat(40), ts, body) })).toBe('mismatch');
    expect(check({ timestamp: String(now / 1000 + 1) })).toBe('mismatch');
    expect(check({ nowMs: now + 301_000 })).toBe('stale');
    expect(check({ signature: undefined })).toBe('missing');
    expect(check({ signature: 'sha1=abc' })).toBe('malformed');
  });
});
