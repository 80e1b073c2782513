import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CrmsyncError } from '../../core/index.js';

// Hashing both sides first makes them equally long, so the comparison's time tells nothing,
// not even the key's length.
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * With an API key configured, every route of the scope it is registered in (the /api scope)
 * needs it in `x-api-key`; /health stays outside, so that a load balancer can probe the host.
 */
export function registerApiKeyAuth(app: FastifyInstance, apiKey: string | undefined): void {
  if (apiKey === undefined) return;
  const expected = digest(apiKey);
  app.addHook('onRequest', async (request) => {
    const given = request.headers['x-api-key'];
    if (typeof given !== 'string') {
      throw new CrmsyncError('CRMSYNC_ERR_UNAUTHENTICATED', 'the x-api-key header is missing', {
        field: 'x-api-key',
      });
    }
    if (!timingSafeEqual(digest(given), expected)) {
      throw new CrmsyncError('CRMSYNC_ERR_FORBIDDEN', 'the x-api-key header is not valid', {
        field: 'x-api-key',
      });
    }
  });
}
