import { z } from 'zod';
import { loose } from '../../validation.js';

/**
 * Shapes of what forms and the API send. Every field arrives as text (or a list of texts); the
 * services then check meaning and answer with Vietnamese messages per field. Anything that is
 * not text or a list of texts fails here with a field error, never deeper.
 */
const text = loose.text;

export const intakeInputSchema = z.object({
  procedure_code: text(50),
  outcome: text(20),
  documents: loose.textList,
  applicant_name: text(100),
  personal_id: text(20),
  birth_date: text(10),
  sex: text(10),
  phone: text(20),
  address: text(300),
  vehicle_kind: text(20),
  vehicle_id: text(30),
  vehicle_frame_no: text(30),
  vehicle_engine_no: text(30),
  vehicle_brand: text(60),
  vehicle_colour: text(40),
  note: text(1000),
  refusal_reason: text(1000),
  form_token: text(100),
  /** The line a 2D scanner read from the ID card's QR (see id-card-qr.ts). */
  id_card_qr: text(600),
  email: text(120),
  /** The channels the citizen agrees to be told on: sms, zalo, email. */
  notify: loose.textList,
  receiving_channel: text(10),
  return_channel: text(10),
  /** The queue ticket the citizen was called with (the counter's console opens intake with it). */
  ticket_id: text(12),
});
export type IntakeInput = z.output<typeof intakeInputSchema>;
/** Intake fields that may span lines. */
export const INTAKE_MULTILINE = ['address', 'note', 'refusal_reason'] as const;
