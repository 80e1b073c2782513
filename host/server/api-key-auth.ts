import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * With an API key configured, every route of the scope it is registered in (the /api scope)
 * needs it in `x-api-key`; /health stays outside, so that a load balancer can probe the host.
 */
export function registerApiKeyAuth(app: FastifyInstance, apiKey: string | undefined): void {
  if (!apiKey) return;
  app.addHook('onRequest', async (request, reply) => {
    const given = request.headers['x-api-key'];
    if (typeof given !== 'string') {
      return reply
        .status(401)
        .send({ code: 'CRMSYNC_ERR_UNAUTHENTICATED', message: 'the x-api-key header is missing' });
    }
    if (!same(given, apiKey)) {
      return reply
        .status(403)
        .send({ code: 'CRMSYNC_ERR_FORBIDDEN', message: 'the x-api-key header is not valid' });
    }
  });
}
