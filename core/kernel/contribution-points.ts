import { CrmConnector } from '../ports/crm-connector.js';
import { DedupeRule } from '../ports/dedupe-rule.js';
import { ExportOption } from '../ports/export-option.js';
import { ContactFileImporter } from '../ports/file-importer.js';
import { GroupwareConnector } from '../ports/groupware-connector.js';
import { PartnerResolver } from '../ports/partner-resolver.js';

/**
 * The contribution points a manifest may fill: for each, the service identifier the
 * plugin binds its implementations under (named by contribution id) and the activation
 * event that loads the plugin when one is first asked for.
 */
export const contributionPoints = {
  crmConnectors: { token: CrmConnector, event: 'onConnector' },
  groupwareConnectors: { token: GroupwareConnector, event: 'onConnector' },
  exportOptions: { token: ExportOption, event: 'onExportOption' },
  dedupeRules: { token: DedupeRule, event: 'onDedupeRule' },
  partnerResolvers: { token: PartnerResolver, event: 'onPartnerResolver' },
  fileImporters: { token: ContactFileImporter, event: 'onFileImporter' },
} as const;

export type ContributionPoint = keyof typeof contributionPoints;

/** What a contribution of each point is, so `kernel.get(point, id)` needs no type argument. */
export interface ContributionTypes {
  crmConnectors: CrmConnector;
  groupwareConnectors: GroupwareConnector;
  exportOptions: ExportOption;
  dedupeRules: DedupeRule;
  partnerResolvers: PartnerResolver;
  fileImporters: ContactFileImporter;
}

export function isContributionPoint(name: string): name is ContributionPoint {
  return Object.hasOwn(contributionPoints, name);
}

export function activationEventFor(point: ContributionPoint, id: string): string {
  return `${contributionPoints[point].event}:${id}`;
}
