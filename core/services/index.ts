export * from './connector-service.js';
export * from './file-exchange-service.js';
export * from './plan-service.js';
export * from './plugin-service.js';
export * from './service-settings.js';
export * from './services-module.js';
export * from './sync-service.js';
