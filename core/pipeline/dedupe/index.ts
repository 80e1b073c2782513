export { classifyContacts, indexEntry, type NamedRule, rulesFingerprint } from './classify-contacts.js';
export { MemoryCandidateIndex } from './memory-candidate-index.js';
