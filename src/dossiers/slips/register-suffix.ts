import type { RegisteredFormKind } from '../../db/schema.js';

/** The register suffix each numbered form carries after its number ("12/HDHS"). */
export const FORM_SUFFIX: Record<RegisteredFormKind, string> = {
  supplement: 'HDHS',
  refusal: 'TCHS',
  apology: 'XLHS',
  stop: 'DGQ',
};
