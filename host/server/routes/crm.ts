import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  type Contact,
  type CrmContactQuery,
  CrmsyncError,
  contactToJson,
  type Fetched,
  problemFromError,
  type RecordProblem,
  type Services,
} from '../../../core/index.js';
import { turnTaker } from '../files/json-answer.js';
import { singleQueryValue } from '../files/query.js';
import { errorAnswers, openObject } from './api-schemas.js';
import { crmContactListingSchema, describedQuery } from './streamed-schemas.js';

const criteria = ['name', 'city', 'email', 'phone', 'partnerId'] as const;

/** A contact as `/api/v1/schemas/contact` describes it, with its ids and the CRM's sync flag. */
const crmContactSchema = openObject(
  {
    ids: openObject({ crmId: { type: 'string' }, crmVersion: { type: 'string' } }, ['crmId']),
    displayName: { type: 'string' },
    givenName: { type: 'string' },
    surname: { type: 'string' },
    company: { type: 'string' },
    partnerId: { type: 'string' },
    groupwareSync: { type: 'boolean' },
  },
  ['ids'],
);

/**
 * `GET /crm/contacts?name=&city=&email=&phone=&partnerId=`: the CRM's contact persons, streamed
 * as they arrive. A CRM that does not answer is a 502 (its error code's status), known before
 * the answer starts; a failure midway ends the answer with `"complete": false` and an `error`.
 */
export async function crmRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const { services } = options;
  const querystring = describedQuery(
    Object.fromEntries(criteria.map((name) => [name, `Contacts whose ${name} matches, given once`])),
  );
  const schema = { querystring, response: { 200: crmContactListingSchema, ...errorAnswers } };
  app.get(
    '/crm/contacts',
    { schema: { ...schema, summary: "Search the CRM's contact persons, streamed" } },
    async (request, reply) => {
      const query: CrmContactQuery = {};
      for (const name of criteria) {
        const value = singleQueryValue(request.query, name);
        if (value !== undefined) query[name] = value;
      }
      const items = services.connectors.searchCrmContacts(query)[Symbol.asyncIterator]();
      const first = await items.next();
      return reply.type('application/json; charset=utf-8').send(Readable.from(searchAnswer(first, items)));
    },
  );

  app.get<{ Params: { crmId: string } }>(
    '/crm/contacts/:crmId',
    {
      schema: {
        summary: 'One CRM contact person, for the contact view (S2)',
        params: {
          type: 'object',
          required: ['crmId'],
          properties: { crmId: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: { 200: crmContactSchema, ...errorAnswers },
      },
    },
    async (request) => {
      const contact = await services.connectors.crmContact(request.params.crmId);
      if (!contact)
        throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `the CRM has no contact ${request.params.crmId}`, {
          recordId: request.params.crmId,
        });
      return contactToJson(contact);
    },
  );
}

async function* searchAnswer(
  first: IteratorResult<Fetched<Contact>>,
  items: AsyncIterator<Fetched<Contact>>,
): AsyncIterable<string> {
  const problems: RecordProblem[] = [];
  let count = 0;
  let failure: RecordProblem | undefined;
  const turn = turnTaker();
  yield '{"contacts":[';
  try {
    for (let next = first; !next.done; next = await items.next()) {
      if (next.value.ok) yield `${count++ > 0 ? ',' : ''}${JSON.stringify(contactToJson(next.value.value))}`;
      else problems.push(next.value.problem);
      await turn();
    }
  } catch (error) {
    failure = problemFromError(error);
  }
  yield `],"problems":${JSON.stringify(problems)},"contactCount":${count}`;
  yield failure ? `,"complete":false,"error":${JSON.stringify(failure)}}` : `,"complete":true}`;
}
