/**
 * The areas the API document groups its operations by. Every documented route belongs to one:
 * a route added without an area stops the host as it is built, so the gap shows in the first
 * test that starts a host, not in a reader's table of contents.
 */
export const apiAreas = [
  {
    name: 'plans',
    description: 'The export wizard and what both wizards do with a plan: page, select, cancel, commit.',
  },
  {
    name: 'imports',
    description: 'The import wizard: import plans from the groupware or an uploaded file, partners assigned.',
  },
  {
    name: 'sync runs',
    description: 'Ongoing sync: start a run, read why each contact was (not) synced, confirm, reject, undo.',
  },
  {
    name: 'jobs',
    description: 'Commits and sync runs at work: state, progress as Server-Sent Events, result.',
  },
  {
    name: 'crm',
    description: "The CRM's contact persons and business partners, and the per-contact sync toggle.",
  },
  { name: 'files', description: 'Contact files read or written directly, without a plan.' },
  {
    name: 'access',
    description: 'Sign-in of the web client, and the users and API tokens administrators manage.',
  },
  {
    name: 'groupware',
    description:
      'The groupware accounts (mailboxes, folders) that plans, sync runs and the contact toggle name.',
  },
  { name: 'admin', description: 'Health, metrics, plugins, connectors, configuration and JSON Schemas.' },
] as const;

export type ApiArea = (typeof apiAreas)[number]['name'];

const api = '/api/v1';

// First match wins: the partner assignment lives under /plans but is a step of the import wizard.
const areaRules: [RegExp, ApiArea][] = [
  [new RegExp(`^${api}/plans/:planId/items/:seq/partner$`), 'imports'],
  [new RegExp(`^${api}/(plans|export-plans)(/|$)`), 'plans'],
  [new RegExp(`^${api}/import-plans(/|$)`), 'imports'],
  [new RegExp(`^${api}/sync-runs(/|$)`), 'sync runs'],
  [new RegExp(`^${api}/jobs(/|$)`), 'jobs'],
  [new RegExp(`^${api}/crm/`), 'crm'],
  [new RegExp(`^${api}/(imports|exports)/`), 'files'],
  [new RegExp(`^${api}/(session|users|tokens)(/|$)`), 'access'],
  [new RegExp(`^${api}/groupware/`), 'groupware'],
  [new RegExp(`^(/health|/metrics|${api}/(plugins|schemas|connectors|config|contributions))(/|$)`), 'admin'],
];

/** The area of a route by its URL pattern; a route of no known area is a mistake of the code. */
export function areaOf(url: string): ApiArea {
  const rule = areaRules.find(([pattern]) => pattern.test(url));
  if (!rule)
    throw new Error(`the route ${url} belongs to no area of the API document; add it to route-areas.ts`);
  return rule[1];
}
