import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  type Contact,
  type CrmContactQuery,
  contactToJson,
  type Fetched,
  problemFromError,
  type RecordProblem,
  type Services,
} from '../../../core/index.js';
import { turnTaker } from '../files/json-answer.js';
import { singleQueryValue } from '../files/query.js';
import { errorAnswers } from './api-schemas.js';
import { crmContactListingSchema, describedQuery } from './streamed-schemas.js';

const criteria = ['name', 'city', 'email', 'phone', 'partnerId'] as const;

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
