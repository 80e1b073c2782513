import { contactInputSchema, contactSchema, partnerSchema } from './contact-schema.js';

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const page = (item: string) => ({
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array', items: ref(item) }, nextCursor: { type: ['string', 'null'] } },
});
const query = (name: string, description: string, schema: unknown = { type: 'string' }) => ({
  name,
  in: 'query',
  description,
  schema,
});
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: true,
  description:
    'The ETag the change is based on (`"3"`), a list of them (`"3", "4"`), or `*` for whatever version the contact has now (RFC 9110). Weak tags (`W/"3"`) never match.',
  schema: { type: 'string' },
};
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  description:
    'Makes the create safe to repeat: 1–255 visible ASCII characters, one per intended contact. A repeated request with the same key and the same body creates nothing and answers the contact the first one created, as it is now, with `Idempotent-Replayed: true`; the same key with another body answers 422.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};
const precondition = {
  '412': error('The If-Match does not match the current version: someone else changed the contact.'),
  '428': error('If-Match is missing.'),
};
const paging = [
  query('cursor', 'Opaque cursor from the previous page (nextCursor).'),
  query('limit', 'Page size, 1–1000 (default 100).', { type: 'integer' }),
];
const common = {
  '400': error('Invalid request; `field` names the offending field.'),
  '401': error('X-API-Key header missing.'),
  '403': error('API key wrong or not allowed to write.'),
};

/** The reference CRM's OpenAPI 3.1 document, served at GET /api/v1/openapi.json. */
export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'crmsync reference CRM',
      version: '1.0.0',
      description:
        'Business partners (Geschäftspartner) and their contact persons (Ansprechpartner). Every change gets a version; updates, deletions and photo writes need If-Match (updates may carry the version in the body instead) and answer 412 when it is stale. Creates with an Idempotency-Key are made once.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      schemas: {
        Contact: contactSchema,
        ContactInput: contactInputSchema,
        Partner: partnerSchema,
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
        },
      },
    },
    paths: {
      '/partners': {
        get: {
          summary: 'Search business partners',
          parameters: [
            query('name', 'Name, case- and umlaut-insensitive.'),
            query('nameMatch', 'prefix or contains (default).', { enum: ['prefix', 'contains'] }),
            query('domain', 'An e-mail domain of the partner.'),
            query('city', 'City of the address.'),
            ...paging,
          ],
          responses: { '200': { description: 'A page', ...json(page('Partner')) }, ...common },
        },
      },
      '/partners/{id}': {
        get: {
          parameters: [idParam],
          responses: {
            '200': { description: 'The partner', ...json(ref('Partner')) },
            '404': error('Unknown id'),
          },
        },
      },
      '/contacts': {
        get: {
          summary: 'Search contact persons; every criterion narrows the result',
          parameters: [
            query('name', 'Given name or surname, case- and umlaut-insensitive (Müller = Mueller = Muller).'),
            query('nameMatch', 'prefix (a name part starts with it) or contains (default).', {
              enum: ['prefix', 'contains'],
            }),
            query('partnerId', 'Business partner id.'),
            query('city', 'City of the address.'),
            query('email', 'An e-mail address, case-insensitive.'),
            query('phone', 'A phone number in any common format; compared in E.164.'),
            query('groupwareSync', 'true or false.', { type: 'boolean' }),
            ...paging,
          ],
          responses: {
            '200': {
              description: 'A page; a Link rel="next" header points at the next one.',
              ...json(page('Contact')),
            },
            ...common,
          },
        },
        post: {
          summary: 'Create a contact person',
          parameters: [idempotencyKey],
          requestBody: json(ref('ContactInput')),
          responses: {
            '201': {
              description:
                'Created (or, for a repeated Idempotency-Key, the contact the first request created); ETag carries the version',
              headers: {
                'Idempotent-Replayed': {
                  description:
                    '`true` when the answer repeats an earlier create with the same Idempotency-Key',
                  schema: { type: 'string', enum: ['true'] },
                },
              },
              ...json(ref('Contact')),
            },
            '404': error('The contact created under this Idempotency-Key has been deleted since.'),
            '422': error(
              'The Idempotency-Key was first used with another body; `field` is `Idempotency-Key`.',
            ),
            ...common,
          },
        },
      },
      '/contacts/created/{key}': {
        get: {
          summary:
            'The contact a create with this Idempotency-Key made, so a client can tell whether it happened',
          parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The contact as it is now; ETag carries the version',
              ...json(ref('Contact')),
            },
            '404': error('No create used this key, or its contact has been deleted.'),
            ...common,
          },
        },
      },
      '/contacts/lookup': {
        post: {
          summary: 'Bulk lookup for duplicate checks, by e-mail addresses and/or phone numbers (≤ 1000 each)',
          requestBody: json({
            type: 'object',
            properties: {
              emails: { type: 'array', items: { type: 'string' } },
              phones: { type: 'array', items: { type: 'string' } },
            },
          }),
          responses: {
            '200': {
              description: 'Every contact having one of the values',
              ...json({ type: 'object', properties: { items: { type: 'array', items: ref('Contact') } } }),
            },
            ...common,
          },
        },
      },
      '/contacts/changes': {
        get: {
          summary: 'Changes since a cursor, deletions included; the latest change per contact',
          parameters: [
            query(
              'since',
              'nextCursor of the previous call; omit for everything. A cursor from another database (the CRM was reset) or ahead of the newest change answers 410.',
            ),
            query('limit', 'Page size, 1–5000 (default 500).', { type: 'integer' }),
          ],
          responses: {
            '200': {
              description: 'Changes in order; resume from nextCursor while hasMore is true',
              ...json({
                type: 'object',
                required: ['changes', 'nextCursor', 'hasMore'],
                properties: {
                  changes: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['seq', 'type', 'id'],
                      properties: {
                        seq: { type: 'integer' },
                        type: { enum: ['upsert', 'delete'] },
                        id: { type: 'string' },
                        contact: ref('Contact'),
                      },
                    },
                  },
                  nextCursor: { type: 'string' },
                  hasMore: { type: 'boolean' },
                },
              }),
            },
            '410': error('The cursor is no longer valid: read every contact again, then follow the changes.'),
            ...common,
          },
        },
      },
      '/contacts/{id}': {
        get: {
          parameters: [idParam],
          responses: {
            '200': { description: 'The contact; ETag carries the version', ...json(ref('Contact')) },
            '404': error('Unknown id'),
          },
        },
        put: {
          summary: 'Replace a contact person',
          parameters: [
            idParam,
            {
              ...ifMatch,
              required: false,
              description: `${ifMatch.description} Instead of If-Match, the body may carry \`version\`.`,
            },
          ],
          requestBody: json(ref('ContactInput')),
          responses: {
            '200': { description: 'Updated', ...json(ref('Contact')) },
            '404': error('Unknown id'),
            ...precondition,
            '428': error('Neither If-Match nor version given.'),
            ...common,
          },
        },
        delete: {
          parameters: [idParam, ifMatch],
          responses: {
            '204': { description: 'Deleted; appears in the change feed' },
            '404': error('Unknown id'),
            ...precondition,
            ...common,
          },
        },
      },
      '/contacts/{id}/photo': {
        get: {
          parameters: [idParam],
          responses: {
            '200': { description: 'Image bytes', content: { 'image/jpeg': {}, 'image/png': {} } },
            '404': error('No such contact or no photo'),
          },
        },
        put: {
          parameters: [idParam, ifMatch],
          requestBody: { content: { 'image/jpeg': {}, 'image/png': {} } },
          responses: {
            '200': { description: 'The contact with its new version', ...json(ref('Contact')) },
            '404': error('Unknown id'),
            ...precondition,
            ...common,
          },
        },
        delete: {
          parameters: [idParam, ifMatch],
          responses: {
            '204': { description: 'Photo removed (no new version when there was none)' },
            '404': error('Unknown id'),
            ...precondition,
            ...common,
          },
        },
      },
    },
  };
}
