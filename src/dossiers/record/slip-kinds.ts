/**
 * The printed forms a dossier may have (docs/DOMAIN.md §8): the receipt and appointment slip
 * (Mẫu 01), the supplement guide (02), the refusal (03), the apology with a new date (04), the
 * stop (05), the process-control slip (06) and the pickup slip. Pure data.
 */
export const SLIP_KINDS = [
  'receipt',
  'supplement',
  'refusal',
  'apology',
  'stop',
  'control',
  'return',
] as const;
export type SlipKind = (typeof SLIP_KINDS)[number];

export function isSlipKind(text: string): text is SlipKind {
  return (SLIP_KINDS as readonly string[]).includes(text);
}
