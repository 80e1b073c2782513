import type { FastifyInstance } from 'fastify';
import { pauseIdleLimit } from './files/idle-pause.js';

const resumeKey = Symbol('crmsync.resumeIdleLimit');
type WithResume = { [resumeKey]?: () => void };

/**
 * For the routes of `app`'s scope, whose bodies are small and read whole before the handler
 * runs: the silence while the host plans a few thousand contacts or reads the CRM is its own,
 * so the connection's idle limit (host.timeouts.idleMs) is paused from the handler's start
 * until the answer goes out.
 */
export function idleWhileWorking(app: FastifyInstance, idleMs: number): void {
  app.addHook('preHandler', async (request) => {
    (request as WithResume)[resumeKey] = pauseIdleLimit(request.raw.socket, idleMs);
  });
  const resume = async (request: object) => (request as WithResume)[resumeKey]?.();
  app.addHook('onSend', resume);
  app.addHook('onResponse', resume);
}
