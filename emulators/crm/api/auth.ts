import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export interface ApiKeys {
  /** May read and write. */
  apiKey: string;
  /** May only read: writes answer 403. */
  readOnlyApiKey?: string;
}

// Route patterns, not request paths: Fastify decodes `%61pi` to `api` when it routes, so only
// the pattern it matched says which route runs. Everything not listed here needs a key.
const publicRoutes = new Set(['/api/v1/openapi.json', '/api/v1/health']);
const readingLookup = '/api/v1/contacts/lookup';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Compares in constant time: both sides are hashed first, so neither the position of the first
 * wrong character nor the length of the key shows in the time an answer takes.
 */
function sameKey(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

/** API-key auth: no key is 401, an unknown key or a read-only key on a write is 403. */
export function registerApiKeyAuth(app: FastifyInstance, keys: ApiKeys): void {
  const full = digest(keys.apiKey);
  const readOnly = keys.readOnlyApiKey ? digest(keys.readOnlyApiKey) : undefined;
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (
      route !== undefined &&
      publicRoutes.has(route) &&
      (request.method === 'GET' || request.method === 'HEAD')
    )
      return;
    const given = request.headers['x-api-key'];
    if (given === undefined || given === '') {
      reply.header('www-authenticate', 'ApiKey header="X-API-Key"');
      return reply.code(401).send({ error: 'unauthorized', message: 'the X-API-Key header is missing' });
    }
    const key = Array.isArray(given) ? given.join(',') : given;
    if (sameKey(key, full)) return;
    const reads = request.method === 'GET' || request.method === 'HEAD' || route === readingLookup;
    if (readOnly && sameKey(key, readOnly)) {
      if (reads) return;
      return reply.code(403).send({ error: 'forbidden', message: 'this API key may only read' });
    }
    return reply.code(403).send({ error: 'forbidden', message: 'the API key is not valid' });
  });
}
