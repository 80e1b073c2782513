export { classifyContacts } from './classify-contacts.js';
export { indexEntry, type NamedRule, rulesFingerprint } from './index-entry.js';
export { MemoryCandidateIndex } from './memory-candidate-index.js';
