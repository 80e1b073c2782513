import { CrmsyncError } from '../../core/index.js';
import { stopOnSignals } from '../stop-on-signals.js';
import { type CrmServer, developmentApiKey, startCrmServer } from './server.js';

/**
 * `npm run crm`: the reference CRM with demo data.
 * Environment: CRM_PORT (4010), CRM_API_KEY (else the development key), CRM_DB (a SQLite file
 * to keep data between runs; in memory otherwise), CRM_DATA (a JSON file of partners and
 * contacts to start from) or CRM_CONTACTS / CRM_PARTNERS / CRM_SEED (generated demo data).
 */
const env = process.env;
/** A whole number from the environment; anything else stops the server with a message naming the variable. */
const number = (name: string, fallback: number, min = 0): number => {
  const value = env[name]?.trim();
  if (!value) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    process.stderr.write(`${name} must be a whole number of at least ${min}, not "${env[name]}"\n`);
    process.exit(2);
  }
  return Number(value);
};
const apiKey = env.CRM_API_KEY || developmentApiKey;
const started = Date.now();
let server: CrmServer;
try {
  server = await startCrmServer({
    port: number('CRM_PORT', 4010),
    dbFile: env.CRM_DB || ':memory:',
    apiKey,
    dataFile: env.CRM_DATA || undefined,
    seed: {
      seed: number('CRM_SEED', 4711),
      partners: number('CRM_PARTNERS', 50, 1),
      contacts: number('CRM_CONTACTS', 500),
    },
  });
} catch (error) {
  if (!(error instanceof CrmsyncError)) throw error;
  process.stderr.write(`the reference CRM could not start: ${error.code}: ${error.message}\n`);
  process.exit(2);
}
const origin = {
  'data-file': `from ${env.CRM_DATA}`,
  'demo-data': 'generated demo data',
  database: `kept in ${env.CRM_DB}${env.CRM_DATA ? ` (CRM_DATA is not loaded into a database that holds data; delete ${env.CRM_DB} to start from it)` : ''}`,
  empty: 'empty',
}[server.startedFrom];
const keySource = env.CRM_API_KEY
  ? 'from CRM_API_KEY'
  : `development default "${developmentApiKey}" (set CRM_API_KEY to change)`;
process.stdout.write(
  [
    `reference CRM listening at ${server.url}`,
    `  ${server.store.countPartners()} business partners, ${server.store.countContacts()} contact persons, ${origin} (ready in ${Date.now() - started} ms)`,
    `  API key: ${keySource}, sent as the X-API-Key header`,
    `  OpenAPI: ${server.url}/openapi.json`,
    '',
  ].join('\n'),
);
stopOnSignals(server);
