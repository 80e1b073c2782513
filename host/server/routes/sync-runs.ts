import type { FastifyInstance } from 'fastify';
import {
  CrmsyncError,
  type PlanHeader,
  type Services,
  type StateStore,
  type SyncRequest,
} from '../../../core/index.js';
import { accountOfRequest } from '../access/account-of-request.js';
import type { JobRunner } from '../jobs/job-runner.js';
import {
  accountIdSchema,
  errorAnswers,
  jobSchema,
  planIdParams,
  planItemSchema,
  planJobSchema,
  planPageQuerySchema,
  planPageSchema,
  planViewSchema,
} from './api-schemas.js';
import { ownerOf, pageQueryOf, planView, visibleTo } from './plans.js';

/**
 * Ongoing sync (S1): `POST /sync-runs` plans a run of a groupware account (the default one
 * unless named) and commits it as a job (202, with the job); a dry run, or a run the mass-deletion guard stopped, answers 201 with its plan and
 * nothing written. Every run stays readable: its items say why each contact was (not)
 * synced, `/conflicts` shows both values of each field both sides changed.
 */
export async function syncRunRoutes(
  app: FastifyInstance,
  options: { services: Services; jobs: JobRunner; state: StateStore },
): Promise<void> {
  const { services, jobs, state } = options;

  const syncPlan = async (planId: string): Promise<PlanHeader> => {
    const plan = await services.plans.get(planId);
    if (plan.kind !== 'sync')
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no sync run ${planId}`, { recordId: planId });
    return plan;
  };

  /**
   * A run whose commit a restart broke off is finished first, from its journal: planning
   * anew over it would read changes it half wrote.
   */
  const finishInterruptedRuns = async () => {
    for (const plan of await state.plans.list({ kind: 'sync', limit: 20 })) {
      if (plan.status !== 'committing') continue;
      if (!(await jobs.isActive(plan.id))) await jobs.start(plan, 'sync-resumed');
      await jobs.ended(plan.id);
    }
  };

  app.post<{ Body: SyncRequest }>(
    '/sync-runs',
    {
      schema: {
        summary: 'Start a sync run (S1)',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            dryRun: { type: 'boolean' },
            policy: { type: 'string', enum: ['crm-wins', 'groupware-wins', 'newest-wins'] },
            maxDeletionShare: { type: 'number', minimum: 0, maximum: 1 },
            account: accountIdSchema,
          },
        },
        response: { 201: planViewSchema, 202: planJobSchema, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { dryRun, account: named, ...settings } = request.body ?? {};
      const account = await accountOfRequest(request, services.accounts, named);
      await finishInterruptedRuns();
      // Planned now, committed as a job: the answer names the plan at once.
      const { plan } = await services.sync.sync({
        ...settings,
        ...(account === undefined ? {} : { account }),
        dryRun: true,
        ...ownerOf(request),
      });
      reply.header('location', `/api/v1/sync-runs/${plan.id}`);
      if (dryRun || plan.status !== 'draft') return reply.status(201).send(await planView(services, plan));
      const job = await jobs.start(plan, 'sync');
      return reply.status(202).send({ ...(await planView(services, plan)), job });
    },
  );

  app.get<{ Querystring: { limit: number; account?: string } }>(
    '/sync-runs',
    {
      schema: {
        summary: 'The sync runs, newest first; those of one account with ?account=',
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            account: accountIdSchema,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['runs'],
            properties: { runs: { type: 'array', items: planViewSchema.properties.plan } },
          },
          ...errorAnswers,
        },
      },
    },
    async (request) => {
      const { limit } = request.query;
      // Administrators see every account's runs unless they name one; a user those of theirs.
      const account =
        request.principal?.user.role === 'admin'
          ? request.query.account
          : await accountOfRequest(request, services.accounts, request.query.account);
      return {
        runs: await state.plans.list({
          kind: 'sync',
          limit,
          ...visibleTo(request),
          ...(account ? { accountId: account } : {}),
        }),
      };
    },
  );

  app.get<{ Params: { planId: string } }>(
    '/sync-runs/:planId',
    {
      schema: {
        summary: 'One sync run with its counts',
        params: planIdParams,
        response: { 200: planViewSchema, ...errorAnswers },
      },
    },
    async (request) => planView(services, await syncPlan(request.params.planId)),
  );

  app.get<{ Params: { planId: string }; Querystring: Parameters<typeof pageQueryOf>[0] }>(
    '/sync-runs/:planId/items',
    {
      schema: {
        summary: "A page of a run's items: what was done to each contact and why",
        params: planIdParams,
        querystring: planPageQuerySchema,
        response: { 200: planPageSchema, ...errorAnswers },
      },
    },
    async (request) => {
      await syncPlan(request.params.planId);
      return services.plans.page(request.params.planId, pageQueryOf(request.query));
    },
  );

  app.get<{ Params: { planId: string }; Querystring: Parameters<typeof pageQueryOf>[0] }>(
    '/sync-runs/:planId/conflicts',
    {
      schema: {
        summary: "A run's conflicts, both values side by side",
        params: planIdParams,
        querystring: planPageQuerySchema,
        response: { 200: planPageSchema, ...errorAnswers },
      },
    },
    async (request) => {
      await syncPlan(request.params.planId);
      return services.plans.page(
        request.params.planId,
        pageQueryOf({ ...request.query, reason: 'conflict' }),
      );
    },
  );

  app.get<{ Params: { planId: string; crmId: string } }>(
    '/sync-runs/:planId/contacts/:crmId',
    {
      schema: {
        summary: 'Why one CRM contact was (not) synced by a run',
        params: {
          type: 'object',
          required: ['planId', 'crmId'],
          properties: {
            planId: planIdParams.properties.planId,
            crmId: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: { 200: planItemSchema, ...errorAnswers },
      },
    },
    async (request) => {
      const { planId, crmId } = request.params;
      await syncPlan(planId);
      // Read on demand, as a person asks about one contact: a scan of the run's items is enough.
      for await (const item of state.plans.items(planId)) if (item.crmId === crmId) return item;
      throw new CrmsyncError(
        'CRMSYNC_ERR_NOT_FOUND',
        `sync run ${planId} did not touch CRM contact ${crmId}: nothing changed on either side since the run before`,
        { recordId: crmId },
      );
    },
  );

  for (const [step, kind, summary] of [
    ['commit', 'sync', 'Commit a dry run as a job'],
    ['confirm', 'sync-confirmed', 'Confirm a run the mass-deletion guard stopped'],
  ] as const) {
    app.post<{ Params: { planId: string } }>(
      `/sync-runs/:planId/${step}`,
      { schema: { summary, params: planIdParams, response: { 202: jobSchema, ...errorAnswers } } },
      async (request, reply) => {
        const plan = await syncPlan(request.params.planId);
        const wanted = step === 'confirm' ? ['awaiting-confirmation'] : ['draft', 'committing'];
        if (!wanted.includes(plan.status))
          throw new CrmsyncError(
            'CRMSYNC_ERR_PLAN_STATE',
            `sync run ${plan.id} is ${plan.status}; it cannot be ${step}ed`,
            {
              recordId: plan.id,
            },
          );
        // Either kind's handler confirms a plan awaiting confirmation and commits any other.
        const job = await jobs.start(plan, kind);
        return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
      },
    );
  }

  app.post<{ Params: { planId: string } }>(
    '/sync-runs/:planId/reject',
    {
      schema: {
        summary: 'Reject a run the mass-deletion guard stopped',
        params: planIdParams,
        response: { 200: planViewSchema, ...errorAnswers },
      },
    },
    async (request) => {
      await syncPlan(request.params.planId);
      return planView(services, await services.sync.reject(request.params.planId));
    },
  );

  app.post<{ Params: { planId: string } }>(
    '/sync-runs/:planId/undo',
    {
      schema: {
        summary: 'Undo what a committed run wrote',
        params: planIdParams,
        response: {
          200: {
            type: 'object',
            additionalProperties: true,
            required: ['planId', 'restored', 'changedSince', 'failed'],
            properties: {
              planId: { type: 'string' },
              restored: { type: 'integer' },
              changedSince: { type: 'array', items: { type: 'object', additionalProperties: true } },
              failed: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
          ...errorAnswers,
        },
      },
    },
    async (request) => {
      await syncPlan(request.params.planId);
      return services.sync.undo(request.params.planId);
    },
  );
}
