import { createServer } from 'node:http';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import { redactHostConfig } from '../../core/index.js';
import type { Runtime } from '../runtime.js';
import { registerApiKeyAuth } from './api-key-auth.js';
import { answerClientError } from './client-errors.js';
import { ContactSyncToggle } from './contact-sync-toggle.js';
import { registerErrorHandler } from './error-handler.js';
import { idleWhileWorking } from './idle-while-working.js';
import { JobRunner } from './jobs/job-runner.js';
import { HostMetrics } from './metrics.js';
import { registerApiDocs } from './openapi/api-docs.js';
import { registerCrossSiteGuard, registerHostCheck } from './request-guards.js';
import { redactedConfigSchema } from './routes/admin-schemas.js';
import { connectorRoutes } from './routes/connectors.js';
import { contactSyncRoutes } from './routes/contact-sync.js';
import { crmRoutes } from './routes/crm.js';
import { crmPartnerRoutes } from './routes/crm-partners.js';
import { exportPlanRoutes } from './routes/export-plans.js';
import { fileRoutes } from './routes/files.js';
import { healthRoutes } from './routes/health.js';
import { importPlanRoutes } from './routes/import-plans.js';
import { jobRoutes } from './routes/jobs.js';
import { planRoutes } from './routes/plans.js';
import { pluginRoutes } from './routes/plugins.js';
import { schemaRoutes } from './routes/schemas.js';
import { syncRunRoutes } from './routes/sync-runs.js';

// Node checks its time limits once a second: this much later, a body deadline of a file
// route has certainly fired and been answered first.
const requestTimeoutBackstopMs = 2500;

export interface AppOptions {
  /** Sees every route as it is registered, before the app serves: what the app answers, in full. */
  onRoute?: (route: RouteOptions) => void;
}

/**
 * The HTTP face of a runtime. Routes are thin: each calls an application service and shapes
 * the answer. Closing the app releases the runtime (plugins deactivate, the reference CRM stops).
 */
export async function buildApp(runtime: Runtime, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config, services } = runtime;
  const { timeouts, limits } = config.host;
  const app = Fastify({
    loggerInstance: runtime.logger as FastifyBaseLogger,
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    // Time limits live on the Node server itself, so a half-sent request cannot hold a
    // connection: headers must arrive within headersMs, the whole body within requestMs,
    // and a connection silent for idleMs is closed. The file routes enforce requestMs on the
    // body themselves, so that an answer already streaming ends with its reason; the server's
    // own check comes a little later and catches every other route.
    serverFactory: (handler) => {
      const server = createServer(
        {
          headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs),
          requestTimeout: timeouts.requestMs + requestTimeoutBackstopMs,
          connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
          keepAliveTimeout: 5000,
        },
        handler,
      );
      server.setTimeout(timeouts.idleMs);
      return server;
    },
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  const metrics = new HostMetrics();
  const jobs = new JobRunner(runtime.stateStore, (job) => metrics.jobEnded(job));
  const crm = () => runtime.kernel.get('crmConnectors', config.connectors.crm);
  const toggle = new ContactSyncToggle(runtime.stateStore, async () => ({
    crm: await crm(),
    groupware: await runtime.kernel.get('groupwareConnectors', config.connectors.groupware),
    groupwareConnectorId: config.connectors.groupware,
  }));
  // Jobs at work finish before the runtime they write through is released.
  app.addHook('onClose', async () => {
    await jobs.settled();
    await runtime.dispose();
  });
  registerErrorHandler(app, (code) => metrics.error(code));
  registerHostCheck(app, config.host.address, config.host.allowedHosts);
  await registerApiDocs(app, {
    version: runtime.kernel.version,
    apiKeyRequired: config.host.apiKey !== undefined,
  });

  metrics.register(app);
  await app.register(healthRoutes, { services });
  // One encapsulated scope for the API: its guards run for every route registered in it,
  // whatever spelling of the URL reached the route (Fastify decodes %-escapes before routing).
  await app.register(
    async (api) => {
      registerCrossSiteGuard(api);
      registerApiKeyAuth(api, config.host.apiKey);
      await api.register(pluginRoutes, { services });
      await api.register(schemaRoutes);
      await api.register(connectorRoutes, { services });
      await api.register(crmRoutes, { services });
      await api.register(async (working) => {
        idleWhileWorking(working, timeouts.idleMs);
        await working.register(crmPartnerRoutes, { crm });
        await working.register(contactSyncRoutes, { toggle });
        await working.register(planRoutes, { services, jobs });
        await working.register(exportPlanRoutes, { services, idleMs: timeouts.idleMs });
        await working.register(importPlanRoutes, { services });
        await working.register(syncRunRoutes, { services, jobs, state: runtime.stateStore });
      });
      await api.register(jobRoutes, { jobs });
      await api.register(fileRoutes, {
        services,
        limits,
        requestMs: timeouts.requestMs,
        idleMs: timeouts.idleMs,
        spoolDir: join(config.dataDir, 'tmp'),
      });
      api.get(
        '/config',
        {
          schema: {
            summary: 'The host configuration, secrets redacted',
            response: { 200: redactedConfigSchema },
          },
        },
        async () => redactHostConfig(config),
      );
    },
    { prefix: '/api/v1' },
  );
  return app;
}
