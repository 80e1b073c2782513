export * from './conflict-policy.js';
export * from './list-kinds.js';
export * from './merge-contact.js';
