import { ValidationError } from '../../errors.js';
import { instantAtLocal, isIsoDate, localDateOf, parseTypedDate } from '../../lib/vietnam-time.js';
import { vi } from '../../locale/vi.js';
import { classifyOutcome } from '../record/dossier-status.js';
import { normalizeTrackingCode, trackingCodeProblem } from '../record/postal-tracking.js';
import type { Planner } from './planners.js';

const m = vi.post.errors;

const TRACKING_MESSAGE = {
  required: m.trackingRequired,
  format: m.trackingFormat,
  check_digit: m.trackingCheckDigit,
} as const;

/**
 * The result leaves the office by post (dịch vụ bưu chính công ích): the tracking code, the
 * address, the time. The office's part ends here, so early / on time / late is judged on the
 * day of the dispatch (docs/DECISIONS.md "Results returned by post"): a result ready on time but
 * left in a drawer until after the date is late, as a result kept from the counter would not be.
 */
export const planPostDispatch: Planner = ({ dossier, input, now }) => {
  const fields: Record<string, string> = {};
  const code = normalizeTrackingCode(input.post_tracking_code);
  const problem = trackingCodeProblem(code);
  if (problem) fields.post_tracking_code = TRACKING_MESSAGE[problem];
  const address = input.post_address.replace(/\s+/g, ' ').trim();
  if (address.length < 10) fields.post_address = m.addressRequired;
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  const today = localDateOf(now);
  const outcome = classifyOutcome(
    today,
    dossier.due_on ?? today,
    dossier.rescheduled_due_on !== null,
  );
  return {
    patch: {
      post_tracking_code: code,
      post_address: address,
      post_dispatched_at: now.toISOString(),
      outcome,
    },
    // The timeline names the code; the officer's note follows it.
    note: [vi.post.timeline.sent(code), input.note].filter(Boolean).join('. '),
    details: { trackingCode: code, address, outcome, outcomeBefore: dossier.outcome },
  };
};

/**
 * The post delivered the result: the dossier is returned that day. Typed by hand (a day, not in
 * the future, not before the dispatch) or reported by the postal provider's callback (an instant
 * with its zone).
 */
export const planPostDelivered: Planner = ({ rules, dossier, input, now }) => {
  const dispatchedOn = localDateOf(new Date(dossier.post_dispatched_at ?? now.toISOString()));
  const today = localDateOf(now);
  let at: Date;
  if (input.delivered_at) {
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(
      input.delivered_at,
    )
      ? Date.parse(input.delivered_at)
      : NaN;
    const tooEarly = dossier.post_dispatched_at && ms < Date.parse(dossier.post_dispatched_at);
    if (!Number.isFinite(ms) || tooEarly || ms > now.getTime())
      throw new ValidationError({ delivered_at: m.deliveredAtInvalid });
    at = new Date(ms);
  } else {
    if (!input.delivered_on) throw new ValidationError({ delivered_on: m.deliveredOnRequired });
    const day = parseTypedDate(input.delivered_on);
    if (!day || !isIsoDate(day) || day < dispatchedOn || day > today)
      throw new ValidationError({ delivered_on: m.deliveredOnInvalid });
    // A day typed after the fact: recorded at the instant it was typed when it is today, else
    // at the end of that day's office hours.
    at = day === today ? now : instantAtLocal(day, rules.closingTime);
  }
  const deliveredOn = localDateOf(at);
  return {
    patch: {
      post_delivered_on: deliveredOn,
      returned_at: at.toISOString(),
      closed_at: at.toISOString(),
    },
    note: [vi.post.timeline.delivered(deliveredOn.split('-').reverse().join('/')), input.note]
      .filter(Boolean)
      .join('. '),
    details: {
      trackingCode: dossier.post_tracking_code,
      deliveredOn,
      deliveredAt: at.toISOString(),
      by: input.delivered_at ? 'callback' : 'hand',
    },
  };
};
