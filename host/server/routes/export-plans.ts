import type { FastifyInstance } from 'fastify';
import { type CrmContactQuery, CrmsyncError, type PlanHeader, type Services } from '../../../core/index.js';
import { accountOfRequest } from '../access/account-of-request.js';
import { pauseIdleLimit } from '../files/idle-pause.js';
import { accountIdSchema, errorAnswers, planIdParams, planJobSchema, planViewSchema } from './api-schemas.js';
import { answerPlanBuilding, type PlanBuilding } from './plan-building.js';
import { fileExportOptionOf, ownerOf, planView } from './plans.js';
import { ResponseSink } from './response-sink.js';
import { downloadAnswer } from './streamed-schemas.js';

export interface ExportPlanRouteOptions extends PlanBuilding {
  /** host.timeouts.idleMs, paused while the file is being made. */
  idleMs: number;
}

const criterion = { type: 'string', minLength: 1, maxLength: 200 } as const;
const exportOptionId = { type: 'string', minLength: 1, maxLength: 100 } as const;

/** The plan with how it is ended: its file downloaded (`/download`) or committed as a job (`/commit`). */
const chosenOptionSchema = {
  ...planViewSchema,
  required: [...planViewSchema.required, 'delivery'],
  properties: { ...planViewSchema.properties, delivery: { type: 'string', enum: ['download', 'commit'] } },
} as const;

/**
 * The export wizard (E1–E7): `POST /export-plans` searches the CRM and makes a plan with the
 * contacts found for a groupware account (the default one unless named; exported before to
 * it: pre-selected and marked); the option is chosen with
 * `PUT /plans/:planId/export-option`; an option that writes to the groupware or a folder is
 * committed as a job (`POST /plans/:planId/commit`), one that produces a file by downloading
 * it (`POST /plans/:planId/download`).
 */
export async function exportPlanRoutes(app: FastifyInstance, options: ExportPlanRouteOptions): Promise<void> {
  const { services, idleMs } = options;

  app.post<{ Body: { criteria?: CrmContactQuery; exportOption?: string; account?: string } }>(
    '/export-plans',
    {
      schema: {
        summary: 'Create an export plan from search criteria (E1–E4); a large one answers while it is built',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            criteria: {
              type: 'object',
              additionalProperties: false,
              properties: {
                name: criterion,
                city: criterion,
                email: criterion,
                phone: criterion,
                partnerId: criterion,
                groupwareSync: { type: 'boolean' },
              },
            },
            exportOption: exportOptionId,
            account: accountIdSchema,
          },
        },
        response: { 201: planViewSchema, 202: planJobSchema, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { criteria = {}, exportOption } = request.body ?? {};
      const account = await accountOfRequest(request, services.accounts, request.body?.account);
      const plan = await services.plans.openExportPlan(criteria, {
        ...(exportOption === undefined ? {} : { exportOption }),
        ...(account === undefined ? {} : { account }),
        ...ownerOf(request),
      });
      return answerPlanBuilding(request, reply, options, plan, (building) =>
        services.plans.build(plan.id, building),
      );
    },
  );

  app.put<{ Params: { planId: string }; Body: { exportOption: string } }>(
    '/plans/:planId/export-option',
    {
      schema: {
        summary: 'Choose the export option (E6)',
        params: planIdParams,
        body: {
          type: 'object',
          required: ['exportOption'],
          additionalProperties: false,
          properties: { exportOption: exportOptionId },
        },
        response: { 200: chosenOptionSchema, ...errorAnswers },
      },
    },
    async (request) => {
      const plan = await services.plans.chooseExportOption(request.params.planId, request.body.exportOption);
      const delivery = (await producesFile(services, plan)) ? 'download' : 'commit';
      return { ...(await planView(services, plan)), delivery };
    },
  );

  app.post<{ Params: { planId: string } }>(
    '/plans/:planId/download',
    {
      schema: {
        summary: 'Commit an export plan by downloading its file',
        params: planIdParams,
        response: { 200: downloadAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const plan = await fileExportPlan(services, request.params.planId);
      const answerBegins = pauseIdleLimit(request.raw.socket, idleMs);
      const sink = new ResponseSink(reply, answerBegins);
      try {
        const committed = await sink.answer(
          () => services.plans.commit(plan.id, { sink }),
          ({ summary }) => {
            const { done, failed } = summary.committed as { done: number; failed: number };
            return { written: done, problems: failed };
          },
        );
        return committed ? committed.summary : reply;
      } finally {
        answerBegins();
      }
    },
  );
}

/** Whether the plan's export option makes a file, which the client then downloads. */
async function producesFile(services: Services, plan: PlanHeader): Promise<boolean> {
  const optionId = plan.options.exportOption as string | undefined;
  if (optionId === undefined || optionId === plan.options.groupwareConnector) return false;
  return (await services.files.exportOption(optionId)).producesFile;
}

/** The plan, when it is an export to an option that produces a file. */
async function fileExportPlan(services: Services, planId: string): Promise<PlanHeader> {
  const plan = await services.plans.get(planId);
  const option = await fileExportOptionOf(services, plan);
  if (!option)
    throw new CrmsyncError(
      'CRMSYNC_ERR_PLAN_STATE',
      `plan ${planId} does not export to a file; choose a file export option first`,
      { recordId: planId },
    );
  if (!option.producesFile)
    throw new CrmsyncError(
      'CRMSYNC_ERR_PLAN_STATE',
      `the export option ${plan.options.exportOption} writes to a place of its own: commit the plan instead`,
      { recordId: planId },
    );
  return plan;
}
