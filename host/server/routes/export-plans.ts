import type { FastifyInstance } from 'fastify';
import { type CrmContactQuery, CrmsyncError, type PlanHeader, type Services } from '../../../core/index.js';
import { pauseIdleLimit } from '../files/idle-pause.js';
import { errorAnswers, planIdParams, planViewSchema } from './api-schemas.js';
import { planView } from './plans.js';
import { ResponseSink } from './response-sink.js';
import { downloadAnswer } from './streamed-schemas.js';

export interface ExportPlanRouteOptions {
  services: Services;
  /** host.timeouts.idleMs, paused while the file is being made. */
  idleMs: number;
}

const criterion = { type: 'string', minLength: 1, maxLength: 200 } as const;
const exportOptionId = { type: 'string', minLength: 1, maxLength: 100 } as const;

/**
 * The export wizard (E1–E7): `POST /export-plans` searches the CRM and makes a plan with the
 * contacts found (exported before: pre-selected and marked); the option is chosen with
 * `PUT /plans/:planId/export-option`; an option that writes to the groupware or a folder is
 * committed as a job (`POST /plans/:planId/commit`), one that produces a file by downloading
 * it (`POST /plans/:planId/download`).
 */
export async function exportPlanRoutes(app: FastifyInstance, options: ExportPlanRouteOptions): Promise<void> {
  const { services, idleMs } = options;

  app.post<{ Body: { criteria?: CrmContactQuery; exportOption?: string } }>(
    '/export-plans',
    {
      schema: {
        summary: 'Create an export plan from search criteria (E1–E4)',
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
          },
        },
        response: { 201: planViewSchema, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { criteria = {}, exportOption } = request.body ?? {};
      const plan = await services.plans.createExportPlan(
        criteria,
        exportOption === undefined ? {} : { exportOption },
      );
      return reply
        .status(201)
        .header('location', `/api/v1/plans/${plan.id}`)
        .send(await planView(services, plan));
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
        response: { 200: planViewSchema, ...errorAnswers },
      },
    },
    async (request) =>
      planView(
        services,
        await services.plans.chooseExportOption(request.params.planId, request.body.exportOption),
      ),
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
        const committed = await services.plans.commit(plan.id, { sink });
        if (!sink.started) return committed.summary;
        reply.raw.addTrailers({
          'x-crmsync-written': String(committed.summary.exported ?? 0),
          'x-crmsync-problems': String(committed.summary.problemCount ?? 0),
        });
        reply.raw.end();
        return reply;
      } catch (error) {
        // Bytes of the file already went out: the only honest end is a broken response.
        if (sink.started) {
          request.log.error({ err: error }, 'export failed after its file began');
          reply.raw.destroy(error as Error);
          return reply;
        }
        throw error;
      } finally {
        answerBegins();
      }
    },
  );
}

/** The plan, when it is an export to an option that produces a file. */
async function fileExportPlan(services: Services, planId: string): Promise<PlanHeader> {
  const plan = await services.plans.get(planId);
  const optionId = plan.options.exportOption as string | undefined;
  if (plan.kind !== 'export' || optionId === undefined || optionId === plan.options.groupwareConnector)
    throw new CrmsyncError(
      'CRMSYNC_ERR_PLAN_STATE',
      `plan ${planId} does not export to a file; choose a file export option first`,
      { recordId: planId },
    );
  const option = await services.files.exportOption(optionId);
  if (!option.producesFile)
    throw new CrmsyncError(
      'CRMSYNC_ERR_PLAN_STATE',
      `the export option ${optionId} writes to a place of its own: commit the plan instead`,
      { recordId: planId },
    );
  return plan;
}
