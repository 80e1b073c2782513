import type { FastifyInstance } from 'fastify';
import { CrmsyncError } from '../../../core/index.js';

export async function pluginRoutes(app: FastifyInstance): Promise<void> {
  app.get('/plugins', async () => app.kernel.plugins());

  app.get<{ Params: { id: string } }>('/plugins/:id', async (request) => {
    const plugin = app.kernel.plugins().find((p) => p.id === request.params.id);
    if (!plugin) {
      throw new CrmsyncError('CRMSYNC_ERR_PLUGIN_UNKNOWN', `no plugin "${request.params.id}" is installed`);
    }
    return { ...plugin, configuration: app.kernel.pluginConfig(plugin.id) };
  });
}
