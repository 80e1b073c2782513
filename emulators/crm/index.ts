export { type DemoDataOptions, defaultDemoData, seedDemoData } from './seed/demo-data.js';
export { type CrmServer, type CrmServerOptions, developmentApiKey, startCrmServer } from './server.js';
export { CrmStore } from './store/crm-store.js';
export type { ContactDoc, PartnerDoc } from './store/documents.js';
