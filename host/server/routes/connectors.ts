import type { FastifyInstance } from 'fastify';
import {
  type HealthReport,
  type HostConfig,
  selectCrmConnector,
  selectGroupwareConnector,
} from '../../../core/index.js';

/** Which connectors crmsync works with right now, and whether they answer. */
export async function connectorRoutes(app: FastifyInstance, options: { config: HostConfig }): Promise<void> {
  const { connectors } = options.config;
  app.get('/connectors', async () => {
    let crm: { id: string; health: HealthReport };
    try {
      crm = {
        id: connectors.crm,
        health: await (await selectCrmConnector(app.kernel, connectors.crm)).health(),
      };
    } catch (error) {
      crm = { id: connectors.crm, health: { ok: false, detail: (error as Error).message } };
    }
    let groupware: { id: string; health: HealthReport; fallbackReason?: string };
    try {
      const selected = await selectGroupwareConnector(app.kernel, connectors);
      groupware = { id: selected.id, health: selected.health, fallbackReason: selected.fallbackReason };
    } catch (error) {
      groupware = { id: connectors.groupware, health: { ok: false, detail: (error as Error).message } };
    }
    return { crm, groupware, configured: connectors };
  });
}
