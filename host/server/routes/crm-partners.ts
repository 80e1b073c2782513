import type { FastifyInstance } from 'fastify';
import type { BusinessPartner, CrmConnector, CrmPartnerQuery } from '../../../core/index.js';
import { errorAnswers } from './api-schemas.js';

const criterion = { type: 'string', minLength: 1, maxLength: 200 } as const;
/** Enough to choose from in a search dialog; a longer list asks for a narrower search. */
const maxPartners = 200;

/**
 * `GET /crm/partners?name=&domain=&city=`: the business partners a contact being imported
 * can be assigned to (I5, the magnifier). At most 200 are listed; `complete: false` says
 * there were more, and malformed records are counted as problems.
 */
export async function crmPartnerRoutes(
  app: FastifyInstance,
  options: { crm: () => Promise<CrmConnector> },
): Promise<void> {
  app.get<{ Querystring: CrmPartnerQuery }>(
    '/crm/partners',
    {
      schema: {
        summary: 'Search business partners to assign (I5)',
        querystring: {
          type: 'object',
          properties: { name: criterion, domain: criterion, city: criterion },
        },
        response: {
          200: {
            type: 'object',
            required: ['partners', 'complete', 'problemCount'],
            properties: {
              partners: { type: 'array', items: { type: 'object', additionalProperties: true } },
              complete: { type: 'boolean' },
              problemCount: { type: 'integer' },
            },
          },
          ...errorAnswers,
        },
      },
    },
    async (request) => {
      const query: CrmPartnerQuery = {};
      for (const name of ['name', 'domain', 'city'] as const) {
        const value = request.query[name];
        if (value !== undefined) query[name] = value;
      }
      const partners: BusinessPartner[] = [];
      let problemCount = 0;
      let complete = true;
      for await (const fetched of (await options.crm()).searchPartners(query)) {
        if (!fetched.ok) problemCount++;
        else if (partners.length < maxPartners) partners.push(fetched.value);
        else {
          complete = false;
          break;
        }
      }
      return { partners, complete, problemCount };
    },
  );
}
