/**
 * The printed forms of a dossier: which slips it has, the numbered registers (Mẫu 02–05), the
 * receipt's reprint with a new lookup key, the tracking-book reference.
 */
export { findDossierForms } from './registers.repository.js';
export { FORM_SUFFIX } from './register-suffix.js';
export { issueForm } from './registers.service.js';
export { slipViewOf, type SlipView, type TimelineEvent } from './slip-view.js';
export { slipsFor } from './slip-rules.js';
export { recordSlipPrinted, reissueLookupKey, trackingBookReference } from './slips.service.js';
