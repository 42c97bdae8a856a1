/** The dossier's workflow: the table's actions carried out, and the citizen's consent. */
export { changeConsent } from './consent.service.js';
export { performAction, performDossierAction, type ActionDeps } from './workflow.service.js';
export { postalDeliverySchema, recordPostalDelivery } from './postal.service.js';
