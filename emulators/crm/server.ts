import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { registerApiKeyAuth } from './api/auth.js';
import { registerContactRoutes } from './api/contacts-routes.js';
import { FaultInjector } from './api/faults.js';
import { openApiDocument } from './api/openapi.js';
import { registerPartnerRoutes } from './api/partners-routes.js';
import { ValidationFailure } from './api/validation.js';
import { loadCrmData, readCrmData } from './seed/data-file.js';
import { type DemoDataOptions, seedDemoData } from './seed/demo-data.js';
import { CrmStore } from './store/crm-store.js';

/** Not a secret: the key of a local demo CRM, documented so that it runs out of the box. */
export const developmentApiKey = 'crmsync-dev-key';

export interface CrmServerOptions {
  port?: number;
  host?: string;
  /** SQLite file; `:memory:` (default) starts empty every time. */
  dbFile?: string;
  /** Demo data to seed when the database has no partners yet; `false` seeds nothing. */
  seed?: DemoDataOptions | false;
  /**
   * A JSON file (`CRM_DATA`) to start from instead of generated demo data, when the database
   * has no partners yet. It is checked whole before the database is opened: a bad file stops
   * the start with `CRMSYNC_ERR_CRM_DATA_INVALID` and loads nothing.
   */
  dataFile?: string;
  apiKey?: string;
  readOnlyApiKey?: string;
  /** Clock for timestamps, so tests can pin them. */
  now?: () => string;
}

export interface CrmServer {
  /** Base URL of the API, e.g. http://127.0.0.1:4010/api/v1 */
  readonly url: string;
  readonly origin: string;
  readonly apiKey: string;
  readonly store: CrmStore;
  readonly faults: FaultInjector;
  readonly app: FastifyInstance;
  /**
   * Where the data came from: the data file, generated demo data, or the database as it was
   * (it held partners already, so neither was loaded), or nothing (seeding turned off).
   */
  readonly startedFrom: 'data-file' | 'demo-data' | 'database' | 'empty';
  close(): Promise<void>;
}

const errorLabels: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

function errorLabel(status: number): string {
  return errorLabels[status] ?? (status >= 500 ? 'internal' : 'client_error');
}

export function buildCrmApp(
  store: CrmStore,
  options: Pick<CrmServerOptions, 'apiKey' | 'readOnlyApiKey' | 'now'> = {},
) {
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  const faults = new FaultInjector();
  const now = options.now ?? (() => new Date().toISOString());
  app.addContentTypeParser(
    ['image/jpeg', 'image/png', 'application/octet-stream'],
    { parseAs: 'buffer' },
    (_r, body, done) => done(null, body),
  );
  faults.register(app);
  registerApiKeyAuth(app, {
    apiKey: options.apiKey ?? developmentApiKey,
    readOnlyApiKey: options.readOnlyApiKey,
  });
  app.setErrorHandler((error: FastifyError | ValidationFailure, _request, reply) => {
    if (error instanceof ValidationFailure) {
      return reply.code(400).send({ error: 'validation_failed', field: error.field, message: error.message });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    const field = status === 415 ? 'Content-Type' : status === 400 || status === 413 ? 'body' : undefined;
    return reply
      .code(status)
      .send({ error: errorLabel(status), ...(field ? { field } : {}), message: error.message });
  });
  app.get('/api/v1/health', async () => ({
    ok: true,
    contacts: store.countContacts(),
    partners: store.countPartners(),
  }));
  app.get('/api/v1/openapi.json', async (request) =>
    openApiDocument(`${request.protocol}://${request.host}/api/v1`),
  );
  registerPartnerRoutes(app, store);
  registerContactRoutes(app, store, now);
  return { app, faults };
}

/** Starts the reference CRM in this process; port 0 picks a free port. */
export async function startCrmServer(options: CrmServerOptions = {}): Promise<CrmServer> {
  const data = options.dataFile
    ? readCrmData(options.dataFile, (options.now ?? (() => new Date().toISOString()))())
    : undefined;
  const store = new CrmStore(options.dbFile ?? ':memory:');
  let startedFrom: CrmServer['startedFrom'] = 'database';
  try {
    if (store.countPartners() === 0) {
      if (data) loadCrmData(store, data);
      else if (options.seed !== false) seedDemoData(store, options.seed ?? {});
      startedFrom = data ? 'data-file' : options.seed !== false ? 'demo-data' : 'empty';
    }
  } catch (error) {
    store.close();
    throw error;
  }
  const apiKey = options.apiKey ?? developmentApiKey;
  const { app, faults } = buildCrmApp(store, { ...options, apiKey });
  app.addHook('onClose', async () => store.close());
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const origin = `http://${host}:${port}`;
  return {
    url: `${origin}/api/v1`,
    origin,
    apiKey,
    store,
    faults,
    app,
    startedFrom,
    close: () => app.close(),
  };
}
