import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../core/index.js';

export async function pluginRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const { plugins } = options.services;
  app.get('/plugins', async () => plugins.list());
  app.get<{ Params: { id: string } }>('/plugins/:id', async (request) => plugins.get(request.params.id));
}
