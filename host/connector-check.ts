import type { ContributionPoint, HostConfig, Kernel } from '../core/index.js';

/**
 * Builds the connectors the configuration names while the host starts, so that a broken
 * connector configuration (a profile path that matches nothing, a missing setting) shows up
 * at start-up — in the start output, the log and /health — rather than on the first sync.
 * The host still starts: the other connectors, and the offline vCard exchange, keep working.
 */
export async function checkConfiguredConnectors(
  kernel: Kernel,
  connectors: HostConfig['connectors'],
): Promise<string[]> {
  const wanted: [ContributionPoint, string][] = [
    ['crmConnectors', connectors.crm],
    ['groupwareConnectors', connectors.groupware],
    ['groupwareConnectors', connectors.fallback],
  ];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [point, id] of wanted) {
    if (seen.has(`${point}:${id}`)) continue;
    seen.add(`${point}:${id}`);
    try {
      await kernel.get(point, id);
    } catch (error) {
      problems.push(`connector "${id}" cannot be used: ${(error as Error).message}`);
    }
  }
  return problems;
}
