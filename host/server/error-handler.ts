import type { FastifyInstance } from 'fastify';
import { CrmsyncError } from '../../core/index.js';

const statusByCode: Record<string, number> = {
  CRMSYNC_ERR_CONTRIBUTION_UNKNOWN: 404,
  CRMSYNC_ERR_PLUGIN_UNKNOWN: 404,
  CRMSYNC_ERR_PLUGIN_FAILED: 503,
  CRMSYNC_ERR_NOT_IMPLEMENTED: 501,
  CRMSYNC_ERR_STALE_VERSION: 412,
  CRMSYNC_ERR_GROUPWARE_UNAVAILABLE: 503,
  CRMSYNC_ERR_PLUGIN_ACTIVATE_TIMEOUT: 503,
};

/** Every error leaves the host as `{ code, message, location }` with a fitting status. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof CrmsyncError) {
      const status = statusByCode[error.code] ?? 400;
      if (status >= 500) request.log.warn({ code: error.code }, error.message);
      return reply
        .status(status)
        .send({ code: error.code, message: error.message, location: error.location });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error(error);
    const { message, code } = error as { message: string; code?: string };
    return reply
      .status(status)
      .send({ code: code ?? 'CRMSYNC_ERR_INTERNAL', message: status >= 500 ? 'internal error' : message });
  });
}
