import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { HostLimits } from '../../../core/index.js';
import { arrivingWithin, closeAfterAnswerIfUnread } from '../files/body-deadline.js';
import { HeavyRequestGate } from '../files/heavy-request-gate.js';
import { contributionListSchema } from './admin-schemas.js';
import { exportRoutes } from './exports.js';
import { importUploadRoutes } from './import-plans.js';
import { importRoutes } from './imports.js';
import type { PlanBuilding } from './plan-building.js';

export interface FileRouteOptions extends PlanBuilding {
  limits: HostLimits;
  /** host.timeouts.requestMs: the longest a body may take to arrive. */
  requestMs: number;
  /** host.timeouts.idleMs. */
  idleMs: number;
  spoolDir: string;
}

/**
 * Offline exchange over HTTP. Bodies reach these routes as streams, whatever their content
 * type (a vCard sent as text/plain, application/octet-stream or with none is still read):
 * nothing is buffered whole, so memory stays flat however large the accepted upload.
 */
export async function fileRoutes(app: FastifyInstance, options: FileRouteOptions): Promise<void> {
  const { services, limits, requestMs, idleMs, spoolDir } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) =>
    done(null, arrivingWithin(payload, requestMs, 'host.timeouts.requestMs')),
  );
  app.addHook('onRequest', async (request, reply) => closeAfterAnswerIfUnread(request.raw, reply.raw));

  const gate = new HeavyRequestGate(limits.heavyRequests);
  app.get(
    '/contributions',
    {
      schema: {
        summary: 'Everything the plugins contribute: export options, importers, connectors',
        response: { 200: contributionListSchema },
      },
    },
    async () => services.plugins.contributions(),
  );
  // Forms are read part by part as they arrive (a file part never whole in memory).
  await app.register(multipart);
  await app.register(importRoutes, { services, limits, requestMs, gate });
  await app.register(importUploadRoutes, { ...options, gate });
  await app.register(exportRoutes, { services, limits, gate, spoolDir, idleMs });
}
