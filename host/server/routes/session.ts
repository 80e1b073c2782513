import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AccessService, CrmsyncError } from '../../../core/index.js';
import type { Principal } from '../access/principal.js';
import { clearSessionCookie, sessionIdOf, setSessionCookie } from '../access/session-cookie.js';
import { sessionSchema, signInSchema } from './access-schemas.js';
import { errorSchema } from './api-schemas.js';

export interface SessionRouteOptions {
  access: AccessService;
  /** `host.rateLimits.signInPerMinute`, per client address and login. */
  signInPerMinute: number;
}

const sessionView = (principal: Principal) => ({
  user: principal.user,
  ...(principal.csrfToken !== undefined ? { csrfToken: principal.csrfToken } : {}),
  mode: principal.via,
});

/**
 * The web client's sign-in: `POST /session` checks login and password and sets the session
 * cookie, `GET /session` says who is signed in (401 when nobody; the local administrator on
 * an open host), `DELETE /session` signs out.
 */
export async function sessionRoutes(app: FastifyInstance, options: SessionRouteOptions): Promise<void> {
  const { access, signInPerMinute } = options;

  app.post<{ Body: { login: string; password: string } }>(
    '/session',
    {
      schema: {
        summary: 'Sign in: sets the session cookie',
        body: signInSchema,
        response: { 200: sessionSchema, 400: errorSchema, 401: errorSchema, 429: errorSchema },
      },
      config: {
        rateLimit: {
          max: signInPerMinute,
          timeWindow: 60_000,
          // After the body is read, so that attempts are counted per login too.
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) =>
            `sign-in:${request.ip}:${String((request.body as { login?: unknown })?.login)
              .trim()
              .toLowerCase()}`,
        },
      },
    },
    async (request, reply) => {
      const signedIn = await access.signIn(request.body.login, request.body.password);
      // A sign-in over an earlier session of this browser ends that one.
      const earlier = sessionIdOf(request);
      if (earlier !== undefined) await access.signOut(earlier);
      setSessionCookie(request, reply, signedIn.sessionId);
      return { user: signedIn.user, csrfToken: signedIn.csrfToken, mode: 'session' };
    },
  );

  app.get(
    '/session',
    {
      schema: {
        summary: 'Who is signed in, and the CSRF token for writes',
        response: { 200: sessionSchema, 401: errorSchema },
      },
    },
    async (request) => sessionView(signedIn(request)),
  );

  app.delete(
    '/session',
    {
      schema: {
        summary: 'Sign out: ends the session',
        response: { 204: { type: 'null' }, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const sessionId = sessionIdOf(request);
      if (signedIn(request).via === 'session' && sessionId !== undefined) await access.signOut(sessionId);
      clearSessionCookie(request, reply);
      return reply.status(204).send();
    },
  );
}

function signedIn(request: FastifyRequest): Principal {
  if (!request.principal) throw new CrmsyncError('CRMSYNC_ERR_UNAUTHENTICATED', 'nobody is signed in');
  return request.principal;
}
