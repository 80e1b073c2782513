export { type CleanedContact, withoutControlCharacters } from './control-characters.js';
export { escapeComponent, escapeText } from './escape.js';
export { foldLine } from './fold.js';
export { nameBasedUuid, stableUid } from './stable-uid.js';
export type { VcardVersion } from './type-params.js';
export { crmIdProperty, formattedName, type WriteOptions, writeVCard, writeVCards } from './write-vcard.js';
