import type { FastifyInstance } from 'fastify';
import type { HostLimits, Services } from '../../../core/index.js';
import type { HeavyRequestGate } from '../files/heavy-request-gate.js';
import { errorAnswers, planItemParams, planItemSchema, planViewSchema } from './api-schemas.js';
import { planView } from './plans.js';
import { uploadedFileBody, uploadedFileTypes, uploadQuerySchema } from './streamed-schemas.js';
import { uploadedFile } from './upload-source.js';

/**
 * The import wizard (I1–I10), from the groupware in use: `POST /import-plans` makes a plan of
 * the groupware's contacts without a CRM id, each with its duplicate verdict, findings and
 * suggested partner; `PUT /plans/:planId/items/:seq/partner` assigns a partner. An empty
 * import answers 201 with an `info` message (I3): nothing to import is news, not an error.
 */
export async function importPlanRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const { services } = options;

  app.post(
    '/import-plans',
    {
      schema: {
        summary: 'Create an import plan from the groupware (I1–I6)',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { source: { type: 'string', const: 'groupware' } },
        },
        response: { 201: planViewSchema, ...errorAnswers },
      },
    },
    async (_request, reply) => {
      const plan = await services.plans.createImportPlan();
      return reply
        .status(201)
        .header('location', `/api/v1/plans/${plan.id}`)
        .send(await planView(services, plan));
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

export interface ImportUploadRouteOptions {
  services: Services;
  limits: HostLimits;
  gate: HeavyRequestGate;
}

/**
 * `POST /import-plans/upload?fileName=…`: an import plan from an uploaded contact file, read
 * as it arrives (registered among the file routes, which leave bodies as streams).
 */
export async function importUploadRoutes(
  app: FastifyInstance,
  options: ImportUploadRouteOptions,
): Promise<void> {
  const { services, limits, gate } = options;
  app.post(
    '/import-plans/upload',
    {
      schema: {
        summary: 'Create an import plan from an uploaded contact file',
        querystring: uploadQuerySchema,
        body: uploadedFileBody,
        consumes: uploadedFileTypes,
        response: { 201: planViewSchema, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { fileName, importerId, source } = await uploadedFile(request, reply, services, limits, gate);
      const plan = await services.plans.createImportPlan({
        source,
        fileName,
        ...(importerId !== undefined ? { importerId } : {}),
      });
      return reply
        .status(201)
        .header('location', `/api/v1/plans/${plan.id}`)
        .send(await planView(services, plan));
    },
  );
}
