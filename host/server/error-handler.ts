import type { FastifyInstance } from 'fastify';
import { CrmsyncError, type ErrorCode, statusOf, textWithoutCredentials } from '../../core/index.js';

// Fastify's own errors carry a status; each is answered with the catalogue code that means it.
const codeByStatus: Record<number, ErrorCode> = {
  400: 'CRMSYNC_ERR_REQUEST_INVALID',
  404: 'CRMSYNC_ERR_NOT_FOUND',
  413: 'CRMSYNC_ERR_TOO_LARGE',
  415: 'CRMSYNC_ERR_UNSUPPORTED_MEDIA_TYPE',
  429: 'CRMSYNC_ERR_TOO_BUSY',
};

/**
 * Every error leaves the host as `{ code, message, location }` with the status the error
 * catalogue gives its code: an unreachable CRM is 502, a throttled one 429, a stale version 412.
 */
export function registerErrorHandler(
  app: FastifyInstance,
  counted: (code: ErrorCode) => void = () => undefined,
): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof CrmsyncError) {
      counted(error.code);
      const status = statusOf(error.code);
      if (status >= 500) request.log.warn({ code: error.code }, textWithoutCredentials(error.message));
      if (error.code === 'CRMSYNC_ERR_TOO_BUSY' || error.code === 'CRMSYNC_ERR_CRM_THROTTLED') {
        reply.header('retry-after', '5');
      }
      return reply.status(status).send({
        code: error.code,
        message: textWithoutCredentials(error.message),
        location: error.location,
      });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const code =
      codeByStatus[status] ?? (status >= 500 ? 'CRMSYNC_ERR_INTERNAL' : 'CRMSYNC_ERR_REQUEST_INVALID');
    counted(code);
    return reply.status(status).send({
      code,
      message: status >= 500 ? 'internal error' : textWithoutCredentials((error as Error).message),
      location: fieldOf(error),
    });
  });
  app.setNotFoundHandler((request, reply) => {
    counted('CRMSYNC_ERR_NOT_FOUND');
    return reply.status(404).send({
      code: 'CRMSYNC_ERR_NOT_FOUND',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
      location: {},
    });
  });
}

interface SchemaFailure {
  validation?: { instancePath?: string; params?: Record<string, unknown> }[];
  validationContext?: string;
}

/**
 * The field a request's schema refused, as `body/items/2` or `querystring/limit`: a missing
 * property is named itself, not its parent.
 */
function fieldOf(error: unknown): { field?: string } {
  const { validation, validationContext } = error as SchemaFailure;
  const first = validation?.[0];
  if (!first) return {};
  const missing = first.params?.missingProperty;
  const path = `${first.instancePath ?? ''}${typeof missing === 'string' ? `/${missing}` : ''}`;
  return { field: `${validationContext ?? 'request'}${path}` };
}
