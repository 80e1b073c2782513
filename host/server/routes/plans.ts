import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CrmsyncError,
  type ExportOption,
  type PlanHeader,
  type PlanOwner,
  type PlanPageQuery,
  type PlanReason,
  type Services,
} from '../../../core/index.js';
import type { JobRunner } from '../jobs/job-runner.js';
import {
  errorAnswers,
  jobSchema,
  planIdParams,
  planPageQuerySchema,
  planPageSchema,
  planViewSchema,
} from './api-schemas.js';

export interface PlanRouteOptions {
  services: Services;
  jobs: JobRunner;
}

type PageQuery = {
  offset: number;
  limit: number;
  selected?: boolean;
  action?: NonNullable<PlanPageQuery['filter']>['action'];
  reason?: PlanReason;
  verdict?: 'sure' | 'possible' | 'none';
  outcome?: 'done' | 'failed' | 'refused' | 'none';
};

/** A plan as the wizards show it: the header, its counts, and an informational message when it has one (I3). */
export async function planView(services: Services, plan: PlanHeader) {
  const counts = await services.plans.counts(plan.id);
  const info = plan.summary.info;
  return { plan, counts, ...(typeof info === 'string' ? { info } : {}) };
}

/** The user a plan made by this request belongs to: none for the API key or an open host. */
export const ownerOf = (request: FastifyRequest): PlanOwner =>
  request.principal?.ownerId === undefined ? {} : { ownerId: request.principal.ownerId };

/** What a request may list: a user their own plans, an administrator everyone's. */
export const visibleTo = (request: FastifyRequest): PlanOwner =>
  request.principal?.user.role === 'admin' ? {} : ownerOf(request);

export function pageQueryOf(query: PageQuery): PlanPageQuery {
  const filter: NonNullable<PlanPageQuery['filter']> = {};
  if (query.selected !== undefined) filter.selected = query.selected;
  if (query.action) filter.action = query.action;
  if (query.reason) filter.reason = query.reason;
  if (query.verdict) filter.verdict = query.verdict;
  if (query.outcome) filter.outcome = query.outcome;
  return { offset: query.offset, limit: query.limit, filter };
}

/**
 * What both wizards do with a plan once it exists, whichever kind it is: read it and its
 * items page by page, move or tick items, cancel it, and commit it as a job.
 * `/plans/:planId` also answers sync plans, so a sync run's items are read the same way.
 */
export async function planRoutes(app: FastifyInstance, options: PlanRouteOptions): Promise<void> {
  const { services, jobs } = options;

  app.get<{ Params: { planId: string } }>(
    '/plans/:planId',
    {
      schema: {
        summary: 'A plan with its counts',
        params: planIdParams,
        response: { 200: planViewSchema, ...errorAnswers },
      },
    },
    async (request) => planView(services, await services.plans.get(request.params.planId)),
  );

  app.get<{ Params: { planId: string }; Querystring: PageQuery }>(
    '/plans/:planId/items',
    {
      schema: {
        summary: "A page of a plan's items, filtered",
        params: planIdParams,
        querystring: planPageQuerySchema,
        response: { 200: planPageSchema, ...errorAnswers },
      },
    },
    async (request) => services.plans.page(request.params.planId, pageQueryOf(request.query)),
  );

  app.post<{ Params: { planId: string }; Body: { items: number[] | 'all'; selected: boolean } }>(
    '/plans/:planId/selection',
    {
      schema: {
        summary: 'Move items between the lists, or tick them',
        params: planIdParams,
        body: {
          type: 'object',
          required: ['items', 'selected'],
          additionalProperties: false,
          properties: {
            items: {
              oneOf: [
                { type: 'array', items: { type: 'integer', minimum: 0 }, maxItems: 10_000 },
                { type: 'string', const: 'all' },
              ],
            },
            selected: { type: 'boolean' },
          },
        },
        response: { 200: planViewSchema, ...errorAnswers },
      },
    },
    async (request) => {
      const { items, selected } = request.body;
      return planView(services, await services.plans.select(request.params.planId, items, selected));
    },
  );

  app.post<{ Params: { planId: string } }>(
    '/plans/:planId/cancel',
    {
      schema: {
        summary: 'Cancel a plan: nothing is written',
        params: planIdParams,
        response: { 200: planViewSchema, ...errorAnswers },
      },
    },
    async (request) => {
      const { planId } = request.params;
      // A plan whose build stopped with its process stays `building`; nothing builds it any more.
      const abandonedBuild = (await jobs.get(planId))?.state === 'interrupted';
      return planView(services, await services.plans.cancel(planId, { abandonedBuild }));
    },
  );

  app.post<{ Params: { planId: string } }>(
    '/plans/:planId/commit',
    {
      schema: {
        summary: 'Commit a plan as a job',
        params: planIdParams,
        response: { 202: jobSchema, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const plan = await services.plans.get(request.params.planId);
      if (plan.kind === 'sync')
        throw new CrmsyncError(
          'CRMSYNC_ERR_PLAN_STATE',
          `plan ${plan.id} is a sync run; commit it at /sync-runs/${plan.id}/commit`,
          { recordId: plan.id },
        );
      if (plan.status !== 'draft' && plan.status !== 'committing')
        throw new CrmsyncError(
          'CRMSYNC_ERR_PLAN_STATE',
          `plan ${plan.id} is ${plan.status}; only a draft is committed`,
          {
            recordId: plan.id,
          },
        );
      await refuseFileOption(services, plan);
      const job = await jobs.start(plan, `${plan.kind}-commit`);
      return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  );
}

/**
 * The export option an export plan writes through when it is not the groupware: a file
 * (downloaded) or a place of the option's own (committed). Undefined for every other plan.
 */
export async function fileExportOptionOf(
  services: Services,
  plan: PlanHeader,
): Promise<ExportOption | undefined> {
  const optionId = plan.options.exportOption as string | undefined;
  if (plan.kind !== 'export' || optionId === undefined || optionId === plan.options.groupwareConnector)
    return undefined;
  return services.files.exportOption(optionId);
}

/** An export option that produces a file is committed by downloading the file. */
async function refuseFileOption(services: Services, plan: PlanHeader): Promise<void> {
  if ((await fileExportOptionOf(services, plan))?.producesFile)
    throw new CrmsyncError(
      'CRMSYNC_ERR_PLAN_STATE',
      `the export option ${plan.options.exportOption} writes a file: download it with POST /api/v1/plans/${plan.id}/download`,
      { recordId: plan.id },
    );
}
