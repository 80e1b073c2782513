import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../core/index.js';
import { healthSchema, readinessSchema } from './admin-schemas.js';

/** What a readiness probe checks besides the plugins: the state store and the job queue. */
export interface ReadinessChecks {
  database(): Promise<{ ok: boolean; kind: string; detail?: string }>;
  queue(): Promise<{ ok: boolean; kind: string; depth?: number; worker: boolean; detail?: string }>;
}

/**
 * `/health` answers 200 while the process serves (liveness) and tells whether its plugins are
 * ready: no plugin has failed and no contribution could not be built (a broken CRM profile
 * leaves its plugin active but its connector unusable). `/health/ready` also asks the state
 * store and the job queue, and answers 503 while any of them cannot serve, for probes.
 */
export async function healthRoutes(
  app: FastifyInstance,
  options: { services: Services; checks: ReadinessChecks },
): Promise<void> {
  const { plugins } = options.services;
  const { checks } = options;
  app.get(
    '/health',
    {
      schema: {
        summary: 'Whether the host serves and its plugins are ready',
        response: { 200: healthSchema },
      },
    },
    async () => plugins.health(),
  );
  app.get(
    '/health/ready',
    {
      schema: {
        summary: 'Readiness for probes: 503 while a plugin, the state store or the job queue cannot serve',
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const [database, queue] = await Promise.all([checks.database(), checks.queue()]);
      const health = plugins.health();
      const body = { ...health, ready: health.ready && database.ok && queue.ok, database, queue };
      return reply.status(body.ready ? 200 : 503).send(body);
    },
  );
}
