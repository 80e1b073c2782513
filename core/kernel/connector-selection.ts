import { CrmsyncError } from '../domain/errors.js';
import type { CrmConnector } from '../ports/crm-connector.js';
import type { GroupwareConnector } from '../ports/groupware-connector.js';
import type { HealthReport } from '../ports/health.js';
import type { Kernel } from './kernel.js';

export interface SelectedGroupware {
  id: string;
  connector: GroupwareConnector;
  health: HealthReport;
  /** Set when the fallback is used: why the chosen connector was passed over. */
  fallbackReason?: string;
}

async function probe(
  kernel: Kernel,
  id: string,
): Promise<{ connector?: GroupwareConnector; health: HealthReport }> {
  try {
    const connector = await kernel.get('groupwareConnectors', id);
    return { connector, health: await connector.health() };
  } catch (error) {
    return { health: { ok: false, detail: (error as Error).message } };
  }
}

/**
 * The groupware connector to work with: the configured one while it is healthy, else the
 * fallback (the vCard folder), so that an unreachable Outlook still leaves an offline way.
 */
export async function selectGroupwareConnector(
  kernel: Kernel,
  choice: { groupware: string; fallback: string },
): Promise<SelectedGroupware> {
  const chosen = await probe(kernel, choice.groupware);
  if (chosen.connector && chosen.health.ok)
    return { id: choice.groupware, connector: chosen.connector, health: chosen.health };
  if (choice.fallback === choice.groupware) {
    throw new CrmsyncError(
      'CRMSYNC_ERR_GROUPWARE_UNAVAILABLE',
      `groupware connector "${choice.groupware}" is not available: ${chosen.health.detail}`,
    );
  }
  const fallback = await probe(kernel, choice.fallback);
  if (!fallback.connector || !fallback.health.ok) {
    throw new CrmsyncError(
      'CRMSYNC_ERR_GROUPWARE_UNAVAILABLE',
      `neither "${choice.groupware}" (${chosen.health.detail}) nor the fallback "${choice.fallback}" (${fallback.health.detail}) is available`,
    );
  }
  return {
    id: choice.fallback,
    connector: fallback.connector,
    health: fallback.health,
    fallbackReason: `"${choice.groupware}" is not available: ${chosen.health.detail}`,
  };
}

export async function selectCrmConnector(kernel: Kernel, id: string): Promise<CrmConnector> {
  return kernel.get('crmConnectors', id);
}
