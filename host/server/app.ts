import Fastify, { type FastifyInstance } from 'fastify';
import { type HostConfig, type Kernel, redactHostConfig } from '../../core/index.js';
import { registerApiKeyAuth } from './api-key-auth.js';
import { registerErrorHandler } from './error-handler.js';
import { connectorRoutes } from './routes/connectors.js';
import { fileRoutes } from './routes/files.js';
import { healthRoutes } from './routes/health.js';
import { pluginRoutes } from './routes/plugins.js';
import { schemaRoutes } from './routes/schemas.js';

export interface AppOptions {
  kernel: Kernel;
  config: HostConfig;
  /** Passed to Fastify: false for silence in tests, or a pino options object. */
  logger?: boolean | Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    kernel: Kernel;
  }
}

/** The HTTP face of the kernel. Routes are thin: each asks the kernel and shapes the answer. */
export async function buildApp({ kernel, config, logger }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? {
      level: config.host.logLevel,
      // Credentials must never reach a log line, whatever route they were sent to.
      redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
    },
    return503OnClosing: true,
  });
  app.decorate('kernel', kernel);
  registerErrorHandler(app);

  await app.register(healthRoutes);
  // One encapsulated scope for the API: its auth hook guards every route registered in it,
  // whatever spelling of the URL reached the route (Fastify decodes %-escapes before routing).
  await app.register(
    async (api) => {
      registerApiKeyAuth(api, config.host.apiKey);
      await api.register(pluginRoutes);
      await api.register(schemaRoutes);
      await api.register(connectorRoutes, { config });
      await api.register(fileRoutes);
      api.get('/config', async () => redactHostConfig(config));
    },
    { prefix: '/api/v1' },
  );
  return app;
}
