import type { FastifyInstance } from 'fastify';
import type { CrmStore } from '../store/crm-store.js';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.js';
import { ValidationFailure } from './validation.js';

type Query = Record<string, string | undefined>;

export function registerPartnerRoutes(app: FastifyInstance, store: CrmStore): void {
  app.get('/api/v1/partners', async (request, reply) => {
    const query = request.query as Query;
    if (query.nameMatch && query.nameMatch !== 'prefix' && query.nameMatch !== 'contains') {
      throw new ValidationFailure('nameMatch', 'must be prefix or contains');
    }
    const page = store.searchPartners(
      {
        name: query.name,
        nameMatch: query.nameMatch as 'prefix' | 'contains' | undefined,
        domain: query.domain,
        city: query.city,
      },
      decodeCursor(query.cursor),
      pageLimit(query.limit),
    );
    const next = page.more ? encodeCursor(page.lastSeq) : null;
    return reply
      .type('application/json; charset=utf-8')
      .send(`{"items":[${page.docs.join(',')}],"nextCursor":${JSON.stringify(next)}}`);
  });

  app.get('/api/v1/partners/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const partner = store.getPartner(id);
    if (!partner) return reply.code(404).send({ error: 'not_found', message: `no business partner ${id}` });
    return partner;
  });
}
