import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../core/index.js';
import { connectorOverviewSchema } from './admin-schemas.js';

/** Which connectors crmsync works with right now, and whether they answer. */
export async function connectorRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  app.get(
    '/connectors',
    {
      schema: {
        summary: 'The connectors in use and whether they answer',
        response: { 200: connectorOverviewSchema },
      },
    },
    async () => options.services.connectors.overview(),
  );
}
