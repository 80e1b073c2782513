import { createServer } from 'node:http';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import { redactHostConfig } from '../../core/index.js';
import { startJobSystem, storeHealth } from '../jobs/job-system.js';
import type { Runtime } from '../runtime.js';
import { accessControl } from './access/access-control.js';
import { OpenHost } from './access/open-host.js';
import { answerClientError } from './client-errors.js';
import { ContactSyncToggle } from './contact-sync-toggle.js';
import { registerErrorHandler } from './error-handler.js';
import { sweepSpool } from './files/spool-sweep.js';
import { idleWhileWorking } from './idle-while-working.js';
import { HostMetrics } from './metrics.js';
import { registerApiDocs } from './openapi/api-docs.js';
import { registerCrossSiteGuard, registerHostCheck } from './request-guards.js';
import { accessAdminRoutes } from './routes/access-admin.js';
import { redactedConfigSchema } from './routes/admin-schemas.js';
import { connectorRoutes } from './routes/connectors.js';
import { contactSyncRoutes } from './routes/contact-sync.js';
import { crmRoutes } from './routes/crm.js';
import { crmPartnerRoutes } from './routes/crm-partners.js';
import { exportPlanRoutes } from './routes/export-plans.js';
import { fileRoutes } from './routes/files.js';
import { groupwareAccountRoutes } from './routes/groupware-accounts.js';
import { healthRoutes } from './routes/health.js';
import { importPlanRoutes } from './routes/import-plans.js';
import { jobRoutes } from './routes/jobs.js';
import { planRoutes } from './routes/plans.js';
import { pluginRoutes } from './routes/plugins.js';
import { schemaRoutes } from './routes/schemas.js';
import { sessionRoutes } from './routes/session.js';
import { syncRunRoutes } from './routes/sync-runs.js';
import { registerWebClient } from './web-client.js';

// Node checks its time limits once a second: this much later, a body deadline of a file
// route has certainly fired and been answered first.
const requestTimeoutBackstopMs = 2500;

export interface AppOptions {
  /** Sees every route as it is registered, before the app serves: what the app answers, in full. */
  onRoute?: (route: RouteOptions) => void;
  /** Whether this process runs jobs; `jobs.worker` of the configuration when absent. */
  worker?: boolean;
}

/**
 * The HTTP face of a runtime. Routes are thin: each calls an application service and shapes
 * the answer. Closing the app releases the runtime (plugins deactivate, the reference CRM stops).
 */
export async function buildApp(runtime: Runtime, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config, services } = runtime;
  const { timeouts, limits } = config.host;
  // Refused before anything listens: a host others can reach, with nobody to sign in.
  await OpenHost.refuseUnguarded(config, services.access);
  const openHost = new OpenHost(config, services.access);
  const app = Fastify({
    loggerInstance: runtime.logger as FastifyBaseLogger,
    return503OnClosing: true,
    trustProxy: config.host.trustProxy,
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
  const jobSystem = await startJobSystem(runtime, {
    worker: options.worker ?? config.jobs.worker,
    onEnd: (job, accountId) => metrics.jobEnded(job, accountId),
  });
  const jobs = jobSystem.runner;
  try {
    metrics.gauge('crmsync_queue_depth', 'Jobs waiting to run, queued or waiting for a retry', () =>
      jobSystem.depth(),
    );
    metrics.gauge('crmsync_jobs_running', 'Jobs this process is running now', async () =>
      jobSystem.worker ? jobSystem.worker.running : jobs.running(),
    );
    const crm = () => runtime.kernel.get('crmConnectors', config.connectors.crm);
    const building = { services, jobs, answerMs: timeouts.planAnswerMs };
    const spoolDir = join(config.dataDir, 'tmp');
    const swept = sweepSpool(spoolDir);
    if (swept > 0) runtime.logger.info(`removed ${swept} upload or export file(s) left by a stopped process`);
    const toggle = new ContactSyncToggle(runtime.stateStore, (account) => services.sync.targets(account));
    // Jobs at work finish (or, on a queue, are handed back) before the runtime they write
    // through is released.
    app.addHook('onClose', async () => {
      await jobSystem.close();
      await runtime.dispose();
    });
    registerErrorHandler(app, (code) => metrics.error(code));
    registerHostCheck(app, config.host.address, config.host.allowedHosts);
    await registerApiDocs(app, {
      version: runtime.kernel.version,
      apiKeyRequired: config.host.apiKey !== undefined,
    });
    await app.register(cookie);
    const access = await accessControl(app, {
      access: services.access,
      openHost,
      state: runtime.stateStore,
      apiKey: config.host.apiKey,
      rateLimits: config.host.rateLimits,
    });

    // /metrics lies outside the API's prefix, but is for administrators as well.
    metrics.register(app, access.guard);
    metrics.observe(app, runtime.kernel.outbound);
    await app.register(healthRoutes, {
      services,
      checks: { database: () => storeHealth(runtime), queue: () => jobSystem.health() },
    });
    // One encapsulated scope for the API: its guards run for every route registered in it,
    // whatever spelling of the URL reached the route (Fastify decodes %-escapes before routing).
    await app.register(
      async (api) => {
        registerCrossSiteGuard(api);
        api.addHook('onRequest', access.guard);
        api.addHook('preHandler', access.ownPlansOnly);
        await api.register(sessionRoutes, {
          access: services.access,
          signInPerMinute: config.host.rateLimits.signInPerMinute,
        });
        await api.register(accessAdminRoutes, { access: services.access, openHost });
        await api.register(pluginRoutes, { services });
        await api.register(schemaRoutes);
        await api.register(connectorRoutes, { services });
        await api.register(groupwareAccountRoutes, { services });
        await api.register(crmRoutes, { services });
        await api.register(async (working) => {
          idleWhileWorking(working, timeouts.idleMs);
          await working.register(crmPartnerRoutes, { crm });
          await working.register(contactSyncRoutes, { toggle, accounts: services.accounts });
          await working.register(planRoutes, { services, jobs });
          await working.register(exportPlanRoutes, { ...building, idleMs: timeouts.idleMs });
          await working.register(importPlanRoutes, building);
          await working.register(syncRunRoutes, { services, jobs, state: runtime.stateStore });
        });
        await api.register(jobRoutes, { jobs });
        await api.register(fileRoutes, {
          ...building,
          limits,
          requestMs: timeouts.requestMs,
          idleMs: timeouts.idleMs,
          spoolDir,
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
    await registerWebClient(app);
  } catch (error) {
    // Whatever started must stop again: the queue's connections, the workers.
    await jobSystem.close().catch(() => undefined);
    throw error;
  }
  return app;
}
