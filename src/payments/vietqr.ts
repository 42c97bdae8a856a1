/**
 * The VietQR payload (NAPAS's profile of the EMVCo merchant-presented QR), written here rather
 * than taken from a library (docs/DECISIONS.md "VietQR: our own encoder"). Pure: no I/O.
 *
 * A payload is a string of data objects, each a 2-digit ID, a 2-digit length and the value; the
 * last object is the CRC (ID 63), computed over everything before its value, `6304` included.
 */

/** The data object IDs VietQR uses (docs/DOMAIN.md §10). */
export const VIETQR_ID = {
  payloadFormat: '00',
  initiation: '01',
  merchantAccount: '38',
  currency: '53',
  amount: '54',
  country: '58',
  additionalData: '62',
  crc: '63',
} as const;
/** Inside 38: the NAPAS application ID, the beneficiary (bank BIN and account), the service. */
export const NAPAS_GUID = 'A000000727';
/** Inside 62: the bill number and the purpose of the transfer (what the bank app shows). */
export const ADDITIONAL_ID = { billNumber: '01', purpose: '08' } as const;
export type VietQrService = 'QRIBFTTA' | 'QRIBFTTC';

export interface VietQrInput {
  /** The bank's 6-digit BIN (NAPAS acquirer ID), e.g. 970415. */
  bankBin: string;
  /** Account number (QRIBFTTA) or card number (QRIBFTTC), at most 19 characters. */
  account: string;
  service?: VietQrService;
  /** Whole đồng; absent for a static QR where the payer types the amount. */
  amount?: number;
  /** The bill number (62.01): the dossier code. At most 25 characters. */
  billNumber?: string;
  /** The transfer's purpose (62.08), shown to the payer and carried to the statement. At most 25. */
  purpose?: string;
  /** 11 static (reusable), 12 dynamic (one payment). Default: dynamic when there is an amount. */
  initiation?: '11' | '12';
}

/** A field that does not fit the format: the name of the field and why. */
export class VietQrFieldError extends Error {
  override name = 'VietQrFieldError';
  constructor(
    readonly field: keyof VietQrInput,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/**
 * CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR, over
 * the bytes of the text (ASCII here: every value is checked to be printable ASCII).
 */
export function crc16CcittFalse(text: string): number {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/** The CRC as the payload writes it: four upper-case hex digits. */
export function crcText(text: string): string {
  return crc16CcittFalse(text).toString(16).toUpperCase().padStart(4, '0');
}

/** One data object: ID, two-digit length, value. */
export function tlv(id: string, value: string): string {
  if (value.length > 99) throw new RangeError(`data object ${id} longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

// Printable ASCII: what every banking app reads the same way (lengths count characters = bytes).
const PRINTABLE = /^[\x20-\x7e]*$/;

function checked(field: keyof VietQrInput, value: string, max: number, pattern?: RegExp): string {
  if (!PRINTABLE.test(value)) throw new VietQrFieldError(field, 'not printable ASCII');
  if (value.length === 0 || value.length > max)
    throw new VietQrFieldError(field, `length ${value.length}, must be 1 to ${max}`);
  if (pattern && !pattern.test(value)) throw new VietQrFieldError(field, 'bad format');
  return value;
}

/** Builds the payload, CRC included. Throws VietQrFieldError for a value the format cannot carry. */
export function encodeVietQr(input: VietQrInput): string {
  const bin = checked('bankBin', input.bankBin, 6, /^\d{6}$/);
  const account = checked('account', input.account, 19, /^[0-9A-Za-z]+$/);
  if (
    input.amount !== undefined &&
    (!Number.isSafeInteger(input.amount) || input.amount <= 0 || String(input.amount).length > 13)
  )
    throw new VietQrFieldError('amount', 'must be a whole number of dong, 1 to 13 digits');
  const beneficiary = tlv('00', bin) + tlv('01', account);
  const merchant =
    tlv('00', NAPAS_GUID) + tlv('01', beneficiary) + tlv('02', input.service ?? 'QRIBFTTA');
  const extra =
    (input.billNumber
      ? tlv(ADDITIONAL_ID.billNumber, checked('billNumber', input.billNumber, 25))
      : '') +
    (input.purpose ? tlv(ADDITIONAL_ID.purpose, checked('purpose', input.purpose, 25)) : '');
  const initiation = input.initiation ?? (input.amount !== undefined ? '12' : '11');
  const body =
    tlv(VIETQR_ID.payloadFormat, '01') +
    tlv(VIETQR_ID.initiation, initiation) +
    tlv(VIETQR_ID.merchantAccount, merchant) +
    tlv(VIETQR_ID.currency, '704') +
    (input.amount !== undefined ? tlv(VIETQR_ID.amount, String(input.amount)) : '') +
    tlv(VIETQR_ID.country, 'VN') +
    (extra ? tlv(VIETQR_ID.additionalData, extra) : '') +
    VIETQR_ID.crc +
    '04';
  return body + crcText(body);
}

/** A payload read back into its data objects (nested templates as text); null when malformed. */
export function readTlv(text: string): Map<string, string> | null {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < text.length) {
    const id = text.slice(at, at + 2);
    const length = Number(text.slice(at + 2, at + 4));
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(text.slice(at + 2, at + 4))) return null;
    const value = text.slice(at + 4, at + 4 + length);
    if (value.length !== length || fields.has(id)) return null;
    fields.set(id, value);
    at += 4 + length;
  }
  return fields;
}

/** Whether a payload ends with a CRC object whose value matches the text before it. */
export function hasValidCrc(payload: string): boolean {
  const at = payload.length - 8;
  return (
    at >= 0 &&
    payload.slice(at, at + 4) === `${VIETQR_ID.crc}04` &&
    crcText(payload.slice(0, at + 4)) === payload.slice(at + 4)
  );
}

/**
 * The dossier code as a transfer's content keeps it: banks drop punctuation and spaces from what
 * the payer's app sends, so the code is written (and looked for) as letters and digits only.
 */
export function compactReference(code: string): string {
  return code.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}

/** The purpose text of a dossier's QR: "HS" and the compact code, or the compact code alone. */
export function purposeFor(code: string): string | undefined {
  const compact = compactReference(code);
  if (compact.length + 3 <= 25) return `HS ${compact}`;
  return compact.length <= 25 ? compact : undefined;
}
