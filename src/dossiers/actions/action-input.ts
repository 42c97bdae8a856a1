import { z } from 'zod';
import { loose } from '../../validation.js';

/**
 * Shapes of what forms and the API send. Every field arrives as text (or a list of texts); the
 * services then check meaning and answer with Vietnamese messages per field. Anything that is
 * not text or a list of texts fails here with a field error, never deeper.
 */
const text = loose.text;

export const actionInputSchema = z.object({
  version: text(12),
  note: text(1000),
  reason: text(1000),
  supplement_what: text(1000),
  returned_to: text(100),
  /** Who took the result: the applicant (default) or a person they authorised. */
  returned_by: text(20),
  proxy_name: text(100),
  proxy_personal_id: text(20),
  proxy_paper: text(300),
  new_due_date: text(10),
  /** A result sent by post: the tracking code, the address it goes to (action "Gửi bưu chính"). */
  post_tracking_code: text(30),
  post_address: text(300),
  /** The day the post delivered it (typed), or the instant its callback reports. */
  delivered_on: text(10),
  delivered_at: text(40),
});
export type ActionInput = z.output<typeof actionInputSchema>;
export const ACTION_MULTILINE = ['note', 'reason', 'supplement_what', 'post_address'] as const;
