import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../core/index.js';
import { notFoundAnswer, pluginListSchema, pluginSchema } from './admin-schemas.js';

export async function pluginRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const { plugins } = options.services;
  app.get(
    '/plugins',
    {
      schema: {
        summary: 'The installed plugins and their state',
        response: { 200: pluginListSchema },
      },
    },
    async () => plugins.list(),
  );
  app.get<{ Params: { id: string } }>(
    '/plugins/:id',
    {
      schema: {
        summary: 'One plugin with its configuration, secrets redacted',
        response: { 200: pluginSchema, ...notFoundAnswer },
      },
    },
    async (request) => plugins.get(request.params.id),
  );
}
