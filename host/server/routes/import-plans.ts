import type { FastifyInstance } from 'fastify';
import type { PlanHeader } from '../../../core/index.js';
import { accountOfRequest } from '../access/account-of-request.js';
import { singleQueryValue } from '../files/query.js';
import { spoolUpload } from '../files/upload-spool.js';
import { readsForms } from '../request-guards.js';
import {
  accountIdSchema,
  errorAnswers,
  planItemParams,
  planItemSchema,
  planJobSchema,
  planViewSchema,
} from './api-schemas.js';
import { answerPlanBuilding, type PlanBuilding } from './plan-building.js';
import { ownerOf } from './plans.js';
import { describedQuery, uploadedFileBody } from './streamed-schemas.js';
import { type UploadLimits, uploadedFile } from './upload-source.js';

/**
 * The import wizard (I1–I10), from a groupware account (the default one unless named):
 * `POST /import-plans` makes a plan of the account's contacts without a CRM id, each with its duplicate verdict, findings and
 * suggested partner; `PUT /plans/:planId/items/:seq/partner` assigns a partner. An empty
 * import answers 201 with an `info` message (I3): nothing to import is news, not an error.
 */
export async function importPlanRoutes(app: FastifyInstance, options: PlanBuilding): Promise<void> {
  const { services } = options;

  app.post<{ Body: { source?: 'groupware'; account?: string } }>(
    '/import-plans',
    {
      schema: {
        summary: 'Create an import plan from the groupware (I1–I6); a large one answers while it is built',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { source: { type: 'string', const: 'groupware' }, account: accountIdSchema },
        },
        response: { 201: planViewSchema, 202: planJobSchema, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const account = await accountOfRequest(request, services.accounts, request.body?.account);
      const plan = await services.plans.openImportPlan(undefined, {
        ...ownerOf(request),
        ...(account === undefined ? {} : { account }),
      });
      return answerPlanBuilding(request, reply, options, plan, (building) =>
        services.plans.build(plan.id, building),
      );
    },
  );

  app.put<{ Params: { planId: string; seq: number }; Body: { partnerId: string } }>(
    '/plans/:planId/items/:seq/partner',
    {
      schema: {
        summary: 'Assign a business partner to one contact (I5)',
        params: planItemParams,
        body: {
          type: 'object',
          required: ['partnerId'],
          additionalProperties: false,
          properties: { partnerId: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: { 200: planItemSchema, ...errorAnswers },
      },
    },
    async (request) =>
      services.plans.assignPartner(request.params.planId, request.params.seq, request.body.partnerId),
  );
}

const uploadImportQuery = describedQuery({
  fileName: "The file's name, or send it in the x-file-name header",
  importer: 'The id of the importer that reads the file, to choose one yourself',
  account:
    'The groupware account the plan belongs to (GET /api/v1/groupware/accounts); the default one when left out',
});

export interface ImportUploadRouteOptions extends PlanBuilding, UploadLimits {
  /** Where an upload waits on disk while its plan is built. */
  spoolDir: string;
}

/**
 * `POST /import-plans/upload?fileName=…`: an import plan from an uploaded contact file, the
 * raw body or a form's file part (registered among the file routes, which leave bodies as
 * streams). The upload is set aside on disk as it arrives, so the answer comes once it is in,
 * with the plan built or, for a large file, still building.
 */
export async function importUploadRoutes(
  app: FastifyInstance,
  options: ImportUploadRouteOptions,
): Promise<void> {
  const { services, spoolDir } = options;
  app.post(
    '/import-plans/upload',
    {
      ...readsForms,
      schema: {
        summary: 'Create an import plan from an uploaded contact file; a large one answers while it is built',
        querystring: uploadImportQuery,
        body: uploadedFileBody,
        response: { 201: planViewSchema, 202: planJobSchema, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const account = await accountOfRequest(
        request,
        services.accounts,
        singleQueryValue(request.query, 'account'),
      );
      const { fileName, importerId, source } = await uploadedFile(request, reply, services, options);
      const spooled = await spoolUpload(source, spoolDir);
      let plan: PlanHeader;
      try {
        plan = await services.plans.openImportPlan(
          { fileName, ...(importerId !== undefined ? { importerId } : {}) },
          { ...ownerOf(request), ...(account === undefined ? {} : { account }) },
        );
      } catch (error) {
        spooled.discard();
        throw error;
      }
      return answerPlanBuilding(request, reply, options, plan, (building) =>
        services.plans.build(plan.id, { ...building, source: spooled.bytes() }).finally(spooled.discard),
      );
    },
  );
}
