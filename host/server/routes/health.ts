import type { FastifyInstance } from 'fastify';
import { describeLocation } from '../../../core/index.js';

/**
 * `/health` answers 200 while the process serves (liveness) and tells whether it is ready:
 * ready means no plugin has failed. `/health/ready` gives the same as 200 or 503 for probes.
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const report = () => {
    const plugins = app.kernel.plugins().map(({ id, state, error }) => ({
      id,
      state,
      ...(error ? { error: error.message, where: describeLocation(error.location) } : {}),
    }));
    const ready = plugins.every((plugin) => plugin.state !== 'failed');
    return { status: 'ok', ready, version: app.kernel.version, plugins };
  };
  app.get('/health', async () => report());
  app.get('/health/ready', async (_request, reply) => {
    const body = report();
    return reply.status(body.ready ? 200 : 503).send(body);
  });
}
