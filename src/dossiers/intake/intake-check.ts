import type { Deps } from '../../context.js';
import { ValidationError } from '../../errors.js';
import { parseTypedDate } from '../../lib/vietnam-time.js';
import { vi } from '../../locale/vi.js';
import type { ProcedureWithDocuments } from '../../procedures/procedures.service.js';
import { hasControlCharacters, zodFieldErrors } from '../../validation.js';
import {
  isValidEngineNumber,
  isValidFrameNumber,
  normalizeStampedNumber,
  canonicalPlate,
  parsePlate,
  plateKindsOf,
  type VehicleKind,
  checkPersonalId,
  type Sex,
} from '../record/index.js';
import { normalizeMobile } from '../../lib/phone.js';
import { intakeInputSchema, type IntakeInput } from './intake.schemas.js';
import { fillFromIdCard, parseIdCardQr } from './id-card-qr.js';
import type { IntakeOutcome } from './intake.service.js';

const m = vi.dossiers.errors;

/** An intake form that passed every check, ready to be saved. */
export interface CheckedIntake {
  outcome: IntakeOutcome;
  procedure: ProcedureWithDocuments;
  receivedDocumentIds: Set<number>;
  applicantName: string;
  personalId: string | null;
  birthDate: string | null;
  sex: Sex | null;
  phone: string | null;
  address: string;
  vehicleKind: VehicleKind | null;
  /** The plate, canonical (`90B112345`). */
  vehicleId: string | null;
  vehicle: {
    frameNo: string | null;
    engineNo: string | null;
    brand: string | null;
    colour: string | null;
  };
  note: string;
  refusalReason: string | null;
  email: string | null;
  receivingChannel: 'counter' | 'online' | 'post';
  returnChannel: 'counter' | 'post' | 'online';
  /** The channels consented to, `sms,zalo,email` order. */
  notifyChannels: string;
  /** The queue ticket the citizen was called with, if any (checked by the queue). */
  ticketId: number | null;
}

const EMAIL_RE =
  /^[^\s@<>()[\],;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const RECEIVING = ['counter', 'online', 'post'] as const;
const RETURNING = ['counter', 'post', 'online'] as const;

const NAME_RE = /^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u;

/**
 * Checks an intake form against the procedure and the rules of docs/DOMAIN.md §5. Throws a
 * ValidationError naming every bad field, in Vietnamese.
 */
export async function checkIntake(
  ctx: Deps<'masterData'>,
  raw: unknown,
  today: string,
): Promise<CheckedIntake> {
  const parsed = intakeInputSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ValidationError(zodFieldErrors(parsed.error));
  let input: IntakeInput = parsed.data;
  const fields: Record<string, string> = {};

  // A scanned ID card fills what the officer has not typed; a bad scan fills nothing.
  if (input.id_card_qr) {
    const scan = parseIdCardQr(input.id_card_qr);
    if (!scan.ok) fields.id_card_qr = m.idCard[scan.problem] ?? m.idCard.shape!;
    else input = fillFromIdCard(input, scan.card);
  }

  const outcome = (['accept', 'guide', 'refuse'] as const).find((o) => o === input.outcome);
  if (!outcome) fields.outcome = m.outcomeRequired;

  let procedure: ProcedureWithDocuments | undefined;
  if (!input.procedure_code) fields.procedure_code = m.procedureRequired;
  else {
    procedure = await ctx.masterData.procedure(input.procedure_code);
    if (!procedure || !procedure.active) fields.procedure_code = m.procedureUnknown;
  }

  for (const key of [
    'applicant_name',
    'personal_id',
    'birth_date',
    'sex',
    'phone',
    'vehicle_kind',
    'vehicle_id',
    'vehicle_frame_no',
    'vehicle_engine_no',
    'vehicle_brand',
    'vehicle_colour',
  ] as const) {
    if (hasControlCharacters(input[key])) fields[key] = vi.errors.controlCharacters;
  }
  for (const key of ['address', 'note', 'refusal_reason'] as const) {
    if (hasControlCharacters(input[key])) fields[key] = vi.errors.controlCharacters;
  }

  const strict = outcome === 'accept'; // a receipt needs the full identity; a guidance slip a name
  const applicantName = input.applicant_name.replace(/\s+/g, ' ');
  if (!applicantName) fields.applicant_name ??= m.nameRequired;
  else if (!NAME_RE.test(applicantName)) fields.applicant_name ??= m.nameInvalid;

  const sex = input.sex === 'male' || input.sex === 'female' ? input.sex : null;
  if (input.sex && !sex) fields.sex ??= m.sexRequired;
  else if (!sex && strict) fields.sex ??= m.sexRequired;

  const birthDate = input.birth_date ? parseTypedDate(input.birth_date) : null;
  if (input.birth_date && (!birthDate || birthDate > today || birthDate < '1900-01-01'))
    fields.birth_date ??= m.birthDateInvalid;
  else if (!input.birth_date && strict) fields.birth_date ??= m.birthDateRequired;

  const personalId = input.personal_id.replace(/\s/g, '') || null;
  if (personalId) {
    const validBirthDate = birthDate && !fields.birth_date ? birthDate : undefined;
    const problems = checkPersonalId(personalId, {
      birthDate: validBirthDate,
      sex: sex ?? undefined,
    });
    const first = problems[0];
    if (first) {
      fields.personal_id ??= {
        format: m.personalIdFormat,
        province: m.personalIdProvince,
        century_sex: m.personalIdCentury,
        birth_year: m.personalIdYear,
        sex_mismatch: m.personalIdSex,
      }[first];
    }
  } else if (strict) fields.personal_id ??= m.personalIdRequired;

  let phone: string | null = null;
  if (input.phone) {
    phone = normalizeMobile(input.phone);
    if (!phone) fields.phone ??= m.phoneInvalid;
  }

  const address = input.address.replace(/\s+/g, ' ');
  if (!address && strict) fields.address ??= m.addressRequired;

  let vehicleKind: VehicleKind | null = null;
  let vehicleId: string | null = null;
  const vehicle = {
    frameNo: null as string | null,
    engineNo: null as string | null,
    brand: null as string | null,
    colour: null as string | null,
  };
  if (procedure?.is_vehicle) {
    vehicleKind =
      (['car', 'motorbike', 'e_bike'] as const).find((k) => k === input.vehicle_kind) ?? null;
    if (!vehicleKind && (strict || input.vehicle_kind))
      fields.vehicle_kind ??= m.vehicleKindRequired;
    const first = procedure.first_registration === 1;
    if (input.vehicle_id) {
      vehicleId = canonicalPlate(input.vehicle_id);
      // Checked as typed: "29A-123.45" is a car's plate, never re-read as a motorbike's 29-A1 2345.
      if (vehicleKind && !parsePlate(input.vehicle_id, vehicleKind)) {
        const typed = input.vehicle_id.trim();
        const provinceCode = /^\d{2}/.exec(typed)?.[0];
        const other = plateKindsOf(typed)[0];
        const shapeOk = !!provinceCode && parsePlate(`90${typed.slice(2)}`, vehicleKind);
        fields.vehicle_id ??= other
          ? vi.counter.plates.ofOtherKind(
              typed,
              vi.counter.plates.kindPlate[other]!,
              vi.dossiers.vehicleKind[vehicleKind]!,
            )
          : shapeOk
            ? m.plateProvinceUnknown(provinceCode)
            : m.vehicleIdInvalid;
      }
    } else if (strict && !first) fields.vehicle_id ??= m.vehicleIdRequired;
    // A first registration has no plate yet (it is issued on the spot): the vehicle is the one
    // whose frame and engine numbers, brand and colour the papers give.
    const stamped = (
      raw: string,
      valid: (n: string) => boolean,
      name: 'vehicle_frame_no' | 'vehicle_engine_no',
      required: string,
      invalid: string,
    ) => {
      if (!raw) {
        if (strict && first) fields[name] ??= required;
        return null;
      }
      const n = normalizeStampedNumber(raw);
      if (!valid(n)) fields[name] ??= invalid;
      return n;
    };
    vehicle.frameNo = stamped(
      input.vehicle_frame_no,
      isValidFrameNumber,
      'vehicle_frame_no',
      m.frameNoRequired,
      m.frameNoInvalid,
    );
    vehicle.engineNo = stamped(
      input.vehicle_engine_no,
      isValidEngineNumber,
      'vehicle_engine_no',
      m.engineNoRequired,
      m.engineNoInvalid,
    );
    vehicle.brand = input.vehicle_brand.replace(/\s+/g, ' ') || null;
    vehicle.colour = input.vehicle_colour.replace(/\s+/g, ' ') || null;
    if (strict && first && !vehicle.brand) fields.vehicle_brand ??= m.brandRequired;
    if (strict && first && !vehicle.colour) fields.vehicle_colour ??= m.colourRequired;
  }

  const receivedDocumentIds = new Set<number>();
  if (procedure) {
    const known = new Map(procedure.documents.map((d) => [String(d.id), d.id]));
    for (const value of input.documents) {
      const id = known.get(value);
      if (id === undefined) fields.documents ??= m.documentUnknown;
      else receivedDocumentIds.add(id);
    }
    const missingRequired = procedure.documents.filter(
      (d) => d.required && !receivedDocumentIds.has(d.id),
    );
    if (outcome === 'accept' && missingRequired.length > 0)
      fields.documents ??= m.documentsMissing(missingRequired.map((d) => d.name));
    const anyMissing = procedure.documents.some((d) => !receivedDocumentIds.has(d.id));
    if (outcome === 'guide' && !anyMissing) fields.documents ??= m.nothingMissing;
  }

  const email = checkEmail(input.email, fields);
  const receivingChannel = (input.receiving_channel ||
    'counter') as CheckedIntake['receivingChannel'];
  if (!RECEIVING.includes(receivingChannel)) fields.receiving_channel = m.channelInvalid;
  const returnChannel = (input.return_channel || 'counter') as CheckedIntake['returnChannel'];
  if (!RETURNING.includes(returnChannel)) fields.return_channel = m.channelInvalid;

  const notifyChannels = checkConsent(input.notify, phone, email, fields);
  if (input.ticket_id && !/^\d{1,9}$/.test(input.ticket_id))
    fields.ticket_id = vi.queue.errors.ticketNotFound;

  const refusalReason = input.refusal_reason || null;
  if (outcome === 'refuse' && (!refusalReason || refusalReason.length < 10))
    fields.refusal_reason ??= m.refusalReasonRequired;

  if (Object.keys(fields).length > 0 || !outcome || !procedure) throw new ValidationError(fields);
  return {
    outcome,
    procedure,
    receivedDocumentIds,
    applicantName,
    personalId,
    birthDate,
    sex,
    phone,
    address,
    vehicleKind,
    vehicleId,
    vehicle,
    note: input.note,
    refusalReason: outcome === 'refuse' ? refusalReason : null,
    email,
    receivingChannel,
    returnChannel,
    notifyChannels,
    ticketId: input.ticket_id ? Number(input.ticket_id) : null,
  };
}

/**
 * The citizen's consent to messages: known channels only, SMS and Zalo to the mobile number
 * given, e-mail to the address given. Returns them in a fixed order (`sms,zalo,email`).
 */
export function checkConsent(
  values: string[],
  phone: string | null,
  email: string | null,
  fields: Record<string, string>,
): string {
  const chosen = new Set(values.filter(Boolean).map((v) => v.toLowerCase()));
  const N = vi.notify.consent;
  if ([...chosen].some((c) => !['sms', 'zalo', 'email'].includes(c)))
    fields.notify = N.unknownChannel;
  else if ((chosen.has('sms') || chosen.has('zalo')) && !phone) fields.notify = N.needsPhone;
  else if (chosen.has('email') && !email) fields.notify = N.needsEmail;
  return ['sms', 'zalo', 'email'].filter((c) => chosen.has(c)).join(',');
}

/** An e-mail address as given (lower case), or null; a malformed one is a field error. */
export function checkEmail(text: string, fields: Record<string, string>): string | null {
  const email = text ? text.toLowerCase() : null;
  if (email && (email.length > 100 || !EMAIL_RE.test(email)))
    fields.email = vi.dossiers.errors.emailInvalid;
  return email;
}
