import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../core/index.js';
import { healthSchema } from './admin-schemas.js';

/**
 * `/health` answers 200 while the process serves (liveness) and tells whether it is ready:
 * ready means no plugin has failed and no contribution could not be built (a broken CRM
 * profile leaves its plugin active but its connector unusable). `/health/ready` gives the
 * same as 200 or 503 for probes.
 */
export async function healthRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const { plugins } = options.services;
  app.get(
    '/health',
    {
      schema: {
        summary: 'Whether the host serves and is ready',
        response: { 200: healthSchema },
      },
    },
    async () => plugins.health(),
  );
  app.get(
    '/health/ready',
    {
      schema: {
        summary: 'Readiness for probes: 503 while a plugin has failed',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const body = plugins.health();
      return reply.status(body.ready ? 200 : 503).send(body);
    },
  );
}
