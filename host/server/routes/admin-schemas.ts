import { errorSchema, openObject } from './api-schemas.js';

/**
 * Answers of the administration routes. Each names the fields a client relies on and keeps
 * the rest: plugin entries and configuration grow with the plugins installed.
 */

const anyObject = { type: 'object', additionalProperties: true } as const;

export const healthSchema = openObject(
  {
    status: { type: 'string', const: 'ok' },
    ready: { type: 'boolean' },
    version: { type: 'string' },
    plugins: {
      type: 'array',
      items: openObject({ id: { type: 'string' }, state: { type: 'string' } }, ['id', 'state']),
    },
  },
  ['status', 'ready', 'version', 'plugins'],
);

const check = {
  ok: { type: 'boolean' },
  kind: { type: 'string' },
  detail: { type: 'string' },
} as const;

/** `/health/ready`: the health answer with the state store and the job queue it asked. */
export const readinessSchema = openObject(
  {
    ...healthSchema.properties,
    database: openObject(check, ['ok', 'kind']),
    queue: openObject({ ...check, depth: { type: 'integer' }, worker: { type: 'boolean' } }, [
      'ok',
      'kind',
      'worker',
    ]),
  },
  [...healthSchema.required, 'database', 'queue'],
);

const pluginInfo = {
  id: { type: 'string' },
  version: { type: 'string' },
  displayName: { type: 'string' },
  state: { type: 'string' },
  activationEvents: { type: 'array', items: { type: 'string' } },
  contributions: { type: 'array', items: anyObject },
  error: anyObject,
};

export const pluginListSchema = { type: 'array', items: openObject(pluginInfo, ['id', 'state']) } as const;

/** One plugin with its configuration, secrets redacted. */
export const pluginSchema = openObject({ ...pluginInfo, configuration: {} }, ['id', 'state']);

export const contributionListSchema = {
  type: 'array',
  items: openObject({ point: { type: 'string' }, pluginId: { type: 'string' }, id: { type: 'string' } }, [
    'point',
    'pluginId',
    'id',
  ]),
} as const;

const connectorStatus = openObject(
  {
    id: { type: 'string' },
    health: openObject({ ok: { type: 'boolean' }, detail: { type: 'string' } }, ['ok', 'detail']),
    fallbackReason: { type: 'string' },
  },
  ['id', 'health'],
);

export const connectorOverviewSchema = openObject(
  { crm: connectorStatus, groupware: connectorStatus, configured: anyObject },
  ['crm', 'groupware', 'configured'],
);

/** The host configuration as loaded, every secret replaced. */
export const redactedConfigSchema = anyObject;

/** A JSON Schema, as editors and clients read it. */
export const jsonSchemaDocument = anyObject;

export const notFoundAnswer = { 404: errorSchema } as const;
