export * from './domain/contact.js';
export * from './domain/errors.js';
export * from './domain/problem.js';
export * from './ports/crm-connector.js';
export * from './ports/export-option.js';
export * from './ports/groupware-connector.js';
export * from './ports/health.js';
