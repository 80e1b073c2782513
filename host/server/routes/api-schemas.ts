import type { PlanReason } from '../../../core/index.js';

/**
 * JSON Schemas shared by the wizard, sync and job routes. Requests are checked by Fastify's
 * ajv before a handler runs (a bad value is a 400 naming its field); answers are described
 * with their known fields and keep the rest, since plan items carry whole contacts.
 */

export const errorSchema = {
  type: 'object',
  required: ['code', 'message', 'location'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    location: { type: 'object', additionalProperties: true },
  },
} as const;

export const openObject = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: true,
  required,
  properties,
});

/**
 * A groupware account named by a request: its id as `GET /groupware/accounts` lists it; when
 * left out, the account the user is bound to, else the default one.
 */
export const accountIdSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 2000,
  description:
    'A groupware account id (`<connector>:<accountKey>`) from GET /api/v1/groupware/accounts; when left out, the account the user is bound to, else the default account. A user bound to an account may name no other (403)',
} as const;

/** `?account=`: the groupware account a request works with. */
export const accountQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { account: accountIdSchema },
} as const;

export const planHeaderSchema = openObject(
  {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['export', 'import', 'sync'] },
    accountId: { type: 'string' },
    status: { type: 'string' },
    options: { type: 'object', additionalProperties: true },
    summary: { type: 'object', additionalProperties: true },
    createdAt: { type: 'number' },
    updatedAt: { type: 'number' },
  },
  ['id', 'kind', 'status', 'summary'],
);

/** A plan with its counts by list, action, reason, verdict and outcome. */
export const planViewSchema = openObject(
  {
    plan: planHeaderSchema,
    counts: { type: 'object', additionalProperties: { type: 'number' } },
    info: { type: 'string' },
  },
  ['plan', 'counts'],
);

export const planItemSchema = openObject(
  {
    seq: { type: 'integer' },
    selected: { type: 'boolean' },
    crmId: { type: 'string' },
    groupwareId: { type: 'string' },
    action: { type: 'string' },
    reason: { type: 'string' },
    duplicate: { type: 'object', additionalProperties: true },
    partner: { type: 'object', additionalProperties: true },
    outcome: { type: 'object', additionalProperties: true },
  },
  ['seq', 'selected', 'action', 'reason'],
);

export const planPageSchema = openObject(
  {
    items: { type: 'array', items: planItemSchema },
    total: { type: 'integer' },
    offset: { type: 'integer' },
  },
  ['items', 'total', 'offset'],
);

export const jobSchema = openObject(
  {
    id: { type: 'string' },
    planId: { type: 'string' },
    kind: { type: 'string' },
    state: { type: 'string', enum: ['queued', 'running', 'done', 'failed', 'interrupted'] },
    progress: openObject({ done: { type: 'integer' }, total: { type: 'integer' } }),
    result: { type: 'object', additionalProperties: true },
    error: { type: 'object', additionalProperties: true },
  },
  ['id', 'planId', 'kind', 'state'],
);

/** A plan with its counts and the job at work on it: a plan being built, a sync run being committed. */
export const planJobSchema = openObject({ ...planViewSchema.properties, job: jobSchema }, [
  'plan',
  'counts',
  'job',
]);

export const planIdParams = {
  type: 'object',
  required: ['planId'],
  properties: { planId: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

export const planItemParams = {
  type: 'object',
  required: ['planId', 'seq'],
  properties: {
    planId: { type: 'string', minLength: 1, maxLength: 100 },
    seq: { type: 'integer', minimum: 0 },
  },
} as const;

/** `?offset=&limit=` and the filters a plan page takes. */
export const planPageQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    offset: { type: 'integer', minimum: 0, default: 0 },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    selected: { type: 'boolean' },
    action: { type: 'string', enum: ['create', 'update', 'link', 'delete', 'unlink', 'skip'] },
    reason: {
      type: 'string',
      enum: [
        'selected',
        'not-selected',
        'exported-before',
        'already-linked',
        'linked-elsewhere',
        'filtered-out',
        'sure-duplicate',
        'possible-duplicate',
        'no-partner',
        'unchanged',
        'changed',
        'conflict',
        'deleted-in-groupware',
        'sync-turned-off',
        'sync-turned-on',
        'cannot-hold',
        'error',
      ] satisfies PlanReason[],
    },
    verdict: { type: 'string', enum: ['sure', 'possible', 'none'] },
    outcome: { type: 'string', enum: ['done', 'failed', 'refused', 'none'] },
  },
} as const;

/** The error answers every route may give, in the one documented shape. */
export const errorAnswers = {
  400: errorSchema,
  404: errorSchema,
  409: errorSchema,
} as const;
