import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toE164 } from '../../../core/index.js';
import { sniffImageType } from '../seed/photos.js';
import type { CrmStore, VersionCheck, WriteOutcome } from '../store/crm-store.js';
import type { ContactInput } from '../store/documents.js';
import { decodeChangeCursor, decodeCursor, encodeChangeCursor, encodeCursor, pageLimit } from './cursor.js';
import { ifMatchAccepts, parseIfMatch } from './if-match.js';
import { ValidationFailure, validateContactInput } from './validation.js';

type Query = Record<string, string | undefined>;

const maxLookupValues = 1000;

function booleanParam(value: string | undefined, field: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ValidationFailure(field, 'must be true or false');
}

function nameMatchParam(value: string | undefined): 'prefix' | 'contains' | undefined {
  if (value === undefined || value === '' || value === 'prefix' || value === 'contains')
    return value || undefined;
  throw new ValidationFailure('nameMatch', 'must be prefix or contains');
}

/** The If-Match of a request as a version check for the store; undefined when absent. */
function ifMatchOf(request: FastifyRequest): VersionCheck {
  const condition = parseIfMatch(request.headers['if-match']);
  return condition && ((version: number) => ifMatchAccepts(condition, version));
}

function preconditionRequired(reply: FastifyReply): FastifyReply {
  return reply.code(428).send({
    error: 'precondition_required',
    field: 'If-Match',
    message: 'send If-Match with the ETag, or the version the change is based on',
  });
}

/** The Idempotency-Key of a create, checked; undefined when the client sent none. */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ValidationFailure('Idempotency-Key', 'must be 1 to 255 visible ASCII characters, sent once');
  }
  return key;
}

/** The same JSON, whatever the order of its keys, hashes the same. */
function bodyHash(body: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

function sendJsonPage(
  reply: FastifyReply,
  docs: string[],
  nextCursor: string | null,
  nextUrl?: string,
): FastifyReply {
  if (nextUrl) reply.header('link', `<${nextUrl}>; rel="next"`);
  return reply
    .type('application/json; charset=utf-8')
    .send(`{"items":[${docs.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`);
}

function nextPageUrl(path: string, query: Query, cursor: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && key !== 'cursor') params.set(key, value);
  params.set('cursor', cursor);
  return `${path}?${params}`;
}

function sendOutcome(reply: FastifyReply, outcome: WriteOutcome, id: string, status = 200): FastifyReply {
  if (!outcome.ok && outcome.reason === 'missing') return notFound(reply, id);
  if (!outcome.ok) {
    return reply.code(412).send({
      error: 'version_conflict',
      message: `contact ${id} was changed by someone else; it is now at version ${outcome.current}`,
      currentVersion: outcome.current,
    });
  }
  reply.header('etag', `"${outcome.doc.version}"`);
  return reply.code(status).send(outcome.doc);
}

function notFound(reply: FastifyReply, id: string): FastifyReply {
  return reply.code(404).send({ error: 'not_found', message: `no contact person ${id}` });
}

export function registerContactRoutes(app: FastifyInstance, store: CrmStore, now: () => string): void {
  const partnerNameOf = (input: ContactInput): string => {
    const partner = store.getPartner(input.partnerId);
    if (!partner) throw new ValidationFailure('partnerId', `no business partner ${input.partnerId}`);
    return partner.name;
  };

  app.get('/api/v1/contacts', async (request, reply) => {
    const query = request.query as Query;
    let phone: string | undefined;
    if (query.phone) {
      phone = toE164(query.phone);
      if (!phone) throw new ValidationFailure('phone', `"${query.phone}" is not a phone number`);
    }
    const limit = pageLimit(query.limit);
    const page = store.searchContacts(
      {
        name: query.name,
        nameMatch: nameMatchParam(query.nameMatch),
        partnerId: query.partnerId,
        city: query.city,
        email: query.email,
        phone,
        groupwareSync: booleanParam(query.groupwareSync, 'groupwareSync'),
      },
      decodeCursor(query.cursor),
      limit,
    );
    const next = page.more ? encodeCursor(page.lastSeq) : null;
    return sendJsonPage(
      reply,
      page.docs,
      next,
      next ? nextPageUrl('/api/v1/contacts', query, next) : undefined,
    );
  });

  app.post('/api/v1/contacts', async (request, reply) => {
    const input = validateContactInput(request.body);
    const key = idempotencyKeyOf(request);
    if (key === undefined) {
      const doc = store.createContact(input, now(), partnerNameOf(input));
      reply.header('location', `/api/v1/contacts/${doc.id}`);
      return sendOutcome(reply, { ok: true, doc }, doc.id, 201);
    }
    const created = store.createContactOnce(key, bodyHash(request.body), input, now(), partnerNameOf(input));
    if (!created.ok && created.reason === 'other-body') {
      return reply.code(422).send({
        error: 'idempotency_key_reused',
        field: 'Idempotency-Key',
        message: `the Idempotency-Key was first used for another request body (it created contact ${created.contactId}); use a new key for a new contact`,
      });
    }
    if (!created.ok) {
      return reply.code(404).send({
        error: 'not_found',
        field: 'Idempotency-Key',
        message: `contact ${created.contactId}, created under this Idempotency-Key, has been deleted since`,
      });
    }
    if (created.replayed) reply.header('idempotent-replayed', 'true');
    reply.header('location', `/api/v1/contacts/${created.doc.id}`);
    return sendOutcome(reply, { ok: true, doc: created.doc }, created.doc.id, 201);
  });

  app.get('/api/v1/contacts/created/:key', async (request, reply) => {
    const { key } = request.params as { key: string };
    const row = store.contactCreatedWith(key);
    if (!row) {
      return reply.code(404).send({
        error: 'not_found',
        message: 'no contact was created under this Idempotency-Key, or it was deleted',
      });
    }
    reply.header('etag', `"${row.version}"`);
    return reply.type('application/json; charset=utf-8').send(row.doc);
  });

  app.post('/api/v1/contacts/lookup', async (request, reply) => {
    const body = (request.body ?? {}) as { emails?: unknown; phones?: unknown };
    const list = (value: unknown, field: string): string[] | undefined => {
      if (value === undefined) return undefined;
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
        throw new ValidationFailure(field, 'must be a list of strings');
      }
      if (value.length > maxLookupValues)
        throw new ValidationFailure(field, `may hold at most ${maxLookupValues} values`);
      return value as string[];
    };
    const emails = list(body.emails, 'emails');
    const phones = list(body.phones, 'phones');
    if (!emails && !phones) throw new ValidationFailure('emails', 'give emails or phones to look up');
    const docs = new Map<string, string>();
    for (const doc of emails ? store.lookupByEmails(emails) : []) docs.set(doc, doc);
    if (phones) {
      const e164s = phones.map((number, index) => {
        const e164 = toE164(number);
        if (!e164) throw new ValidationFailure(`phones[${index}]`, `"${number}" is not a phone number`);
        return e164;
      });
      for (const doc of store.lookupByPhones(e164s)) docs.set(doc, doc);
    }
    return reply.type('application/json; charset=utf-8').send(`{"items":[${[...docs.keys()].join(',')}]}`);
  });

  app.get('/api/v1/contacts/changes', async (request, reply) => {
    const query = request.query as Query;
    const cursor = decodeChangeCursor(query.since, store.epoch, store.latestChangeSeq());
    if (!cursor.ok) {
      return reply.code(410).send({
        error: 'cursor_expired',
        field: 'since',
        message: `the cursor ${cursor.reason}; read the contacts again from the start`,
      });
    }
    const since = cursor.seq;
    const { changes, more } = store.changesSince(since, pageLimit(query.limit, 500, 5000));
    const last = changes.at(-1)?.seq ?? since;
    const items = changes.map((change) =>
      change.deleted || !change.doc
        ? `{"seq":${change.seq},"type":"delete","id":${JSON.stringify(change.id)}}`
        : `{"seq":${change.seq},"type":"upsert","id":${JSON.stringify(change.id)},"contact":${change.doc}}`,
    );
    return reply
      .type('application/json; charset=utf-8')
      .send(
        `{"changes":[${items.join(',')}],"nextCursor":${JSON.stringify(encodeChangeCursor(store.epoch, last))},"hasMore":${more}}`,
      );
  });

  app.get('/api/v1/contacts/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const row = store.getContact(id);
    if (!row) return notFound(reply, id);
    reply.header('etag', `"${row.version}"`);
    return reply.type('application/json; charset=utf-8').send(row.doc);
  });

  app.put('/api/v1/contacts/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const input = validateContactInput(request.body);
    const bodyVersion = input.version;
    const expected =
      ifMatchOf(request) ??
      (bodyVersion === undefined ? undefined : (version: number) => version === bodyVersion);
    if (expected === undefined) return preconditionRequired(reply);
    return sendOutcome(reply, store.updateContact(id, input, expected, now(), partnerNameOf(input)), id);
  });

  app.delete('/api/v1/contacts/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const expected = ifMatchOf(request);
    if (expected === undefined) return preconditionRequired(reply);
    const outcome = store.deleteContact(id, expected);
    if (!outcome.ok) return sendOutcome(reply, outcome, id);
    return reply.code(204).send();
  });

  app.get('/api/v1/contacts/:id/photo', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!store.getContact(id)) return notFound(reply, id);
    const photo = store.getPhoto(id);
    if (!photo)
      return reply.code(404).send({ error: 'not_found', message: `contact person ${id} has no photo` });
    return reply.type(photo.mediaType).send(Buffer.from(photo.bytes));
  });

  app.put('/api/v1/contacts/:id/photo', async (request, reply) => {
    const { id } = request.params as { id: string };
    const bytes = request.body;
    if (!(bytes instanceof Buffer) || bytes.length === 0) {
      throw new ValidationFailure('photo', 'send the image bytes as image/jpeg or image/png');
    }
    const mediaType = sniffImageType(bytes);
    if (!mediaType) throw new ValidationFailure('photo', 'is neither a JPEG nor a PNG image');
    const expected = ifMatchOf(request);
    if (expected === undefined) return preconditionRequired(reply);
    return sendOutcome(reply, store.setPhoto(id, { mediaType, bytes }, now(), expected), id);
  });

  app.delete('/api/v1/contacts/:id/photo', async (request, reply) => {
    const { id } = request.params as { id: string };
    const expected = ifMatchOf(request);
    if (expected === undefined) return preconditionRequired(reply);
    const outcome = store.setPhoto(id, undefined, now(), expected);
    if (!outcome.ok) return sendOutcome(reply, outcome, id);
    return reply.code(204).send();
  });
}
