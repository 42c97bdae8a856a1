import type { DossierExtension } from '../dossiers/index.js';
import { recordDossierChange } from './sync-outbox.js';

/** The portal's outbox on the dossier feature's extension port: a row with every change. */
export function onlineExtension(): DossierExtension {
  return { onChange: (tx, change) => recordDossierChange(tx, change) };
}
