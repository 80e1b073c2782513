import { CrmConnector } from '../ports/crm-connector.js';
import { DedupeRule } from '../ports/dedupe-rule.js';
import { ExportOption } from '../ports/export-option.js';
import { ContactFileImporter } from '../ports/file-importer.js';
import { GroupwareConnector } from '../ports/groupware-connector.js';
import { PartnerResolver } from '../ports/partner-resolver.js';

export type JsonSchema = Record<string, unknown>;

/**
 * One contribution point. The manifest schema, the activation events and the type
 * `kernel.get` answers with are all derived from these entries.
 */
export interface ContributionPointSpec<T> {
  /** The service identifier a plugin binds each implementation under, named by contribution id. */
  readonly token: symbol;
  /** `<event>:<id>` loads the plugin when the contribution is first needed. */
  readonly event: string;
  /** Shown to people editing a manifest. */
  readonly description: string;
  /** What a descriptor in the manifest holds besides `id`, `displayName` and `description`. */
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  /** Never set: carries the implementation's type for `ContributionTypes`. */
  readonly implementation?: T;
}

function point<T>(spec: Omit<ContributionPointSpec<T>, 'implementation'>): ContributionPointSpec<T> {
  return spec;
}

const flags = (...names: string[]): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(names.map((name) => [name, { type: 'boolean' }])),
});

/**
 * The contribution points a manifest may fill. Adding a point is adding an entry here, then
 * `npm run schemas` to rewrite the JSON schemas on disk that editors use.
 */
export const contributionPoints = {
  crmConnectors: point<CrmConnector>({
    token: CrmConnector,
    event: 'onConnector',
    description: 'Connectors to a CRM: contact persons and business partners.',
    properties: { capabilities: flags('changes', 'photos', 'bulkLookup') },
  }),
  groupwareConnectors: point<GroupwareConnector>({
    token: GroupwareConnector,
    event: 'onConnector',
    description: 'Connectors to a groupware contact store (Outlook, a vCard folder).',
    properties: { capabilities: flags('delta', 'photos', 'batch', 'stableExternalId') },
  }),
  exportOptions: point<ExportOption>({
    token: ExportOption,
    event: 'onExportOption',
    description: 'Ways to export contacts, offered to the user by display name.',
  }),
  dedupeRules: point<DedupeRule>({
    token: DedupeRule,
    event: 'onDedupeRule',
    description: 'Rules that find duplicates between an incoming contact and the CRM.',
    required: ['verdict'],
    properties: {
      verdict: { enum: ['sure', 'possible'], description: 'The strongest verdict the rule can give.' },
    },
  }),
  partnerResolvers: point<PartnerResolver>({
    token: PartnerResolver,
    event: 'onPartnerResolver',
    description: 'Ways to find the business partner an imported contact belongs to.',
  }),
  fileImporters: point<ContactFileImporter>({
    token: ContactFileImporter,
    event: 'onFileImporter',
    description: 'Readers of contact files, chosen by file name ending.',
    required: ['fileExtensions'],
    properties: {
      fileExtensions: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', pattern: '^\\.[a-z0-9]+$' },
        description: 'File name endings the importer reads, e.g. .vcf',
      },
      mediaTypes: { type: 'array', items: { type: 'string' } },
    },
  }),
} as const;

export type ContributionPoint = keyof typeof contributionPoints;

/** What a contribution of each point is, so `kernel.get(point, id)` needs no type argument. */
export type ContributionTypes = {
  [P in ContributionPoint]: (typeof contributionPoints)[P] extends ContributionPointSpec<infer T> ? T : never;
};

export function isContributionPoint(name: string): name is ContributionPoint {
  return Object.hasOwn(contributionPoints, name);
}

export function activationEventFor(point: ContributionPoint, id: string): string {
  return `${contributionPoints[point].event}:${id}`;
}

/** The distinct activation event prefixes, in table order. */
export function activationEventPrefixes(): string[] {
  return [...new Set(Object.values(contributionPoints).map((spec) => spec.event))];
}
