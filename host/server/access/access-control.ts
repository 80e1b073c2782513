import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type AccessService,
  CrmsyncError,
  type HostConfig,
  newSecret,
  type StateStore,
  sameSecret,
} from '../../../core/index.js';
import type { OpenHost } from './open-host.js';
import { apiKeyAdmin, localAdmin, type Principal } from './principal.js';
import { accessOf, isWrite } from './route-access.js';
import { clearSessionCookie, sessionIdOf } from './session-cookie.js';

export interface AccessControlOptions {
  access: AccessService;
  openHost: OpenHost;
  state: StateStore;
  /** `host.apiKey`: the single-key mode, a credential with administrator rights. */
  apiKey: string | undefined;
  rateLimits: HostConfig['host']['rateLimits'];
}

/** The guard of one route: who is asking, whether they may, and whether a write comes too often. */
export type AccessGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

const challenge = 'Bearer realm="crmsync"';

/**
 * An open host hands out a CSRF token too, so the web client works the same way signed in or
 * not; it is not checked there, since there is no cookie a foreign page could ride on (the
 * cross-site guard refuses such pages' requests by their Origin).
 */
export const openCsrfToken = newSecret();

function unauthenticated(
  reply: FastifyReply,
  message: string,
  field: string,
  invalidToken = false,
): CrmsyncError {
  reply.header('www-authenticate', invalidToken ? `${challenge}, error="invalid_token"` : challenge);
  return new CrmsyncError('CRMSYNC_ERR_UNAUTHENTICATED', message, { field });
}

/** 429 in the one error shape; @fastify/rate-limit has set Retry-After already. */
export const rateLimited = (_request: FastifyRequest, context: { after: string }) =>
  new CrmsyncError('CRMSYNC_ERR_RATE_LIMITED', `too many requests; try again in ${context.after}`);

/** The two hooks of access control, for the scopes and routes they guard. */
export interface AccessControl {
  /** onRequest: who is asking, whether they may, and whether a write comes too often. */
  guard: AccessGuard;
  /** preHandler: another user's plan or job answers 404, as one that does not exist. */
  ownPlansOnly: (request: FastifyRequest) => Promise<void>;
}

/**
 * Access control for the routes it is added to. Each request is authenticated by the first
 * credential it carries: `Authorization: Bearer <token>`, then `x-api-key` (with
 * `host.apiKey` set), then the session cookie; an open host needs none. A write signed in by
 * the cookie must send the session's `x-csrf-token` (a page of another site can make the
 * browser send the cookie, never the header). Registered on the root instance, before any
 * route, so that the sign-in route's own rate limit is seen.
 */
export async function accessControl(
  app: FastifyInstance,
  options: AccessControlOptions,
): Promise<AccessControl> {
  const { access, openHost, state, apiKey, rateLimits } = options;
  app.decorateRequest('principal', null);
  await app.register(rateLimit, { global: false, errorResponseBuilder: rateLimited });
  const writeLimit = app.rateLimit({
    max: rateLimits.writesPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => writerOf(request),
  });

  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<Principal> => {
    if (await openHost.isOpen(request)) return { user: localAdmin, via: 'open', csrfToken: openCsrfToken };
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const [scheme, token, ...rest] = authorization.trim().split(/\s+/);
      if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0)
        throw unauthenticated(
          reply,
          'the Authorization header takes a bearer token: "Bearer <token>"',
          'authorization',
        );
      const verdict = await access.tokenUser(token);
      if (!verdict.ok) throw unauthenticated(reply, verdict.reason, 'authorization', true);
      return { user: verdict.value, via: 'token', ownerId: verdict.value.id };
    }
    const givenKey = request.headers['x-api-key'];
    if (apiKey !== undefined && givenKey !== undefined) {
      if (typeof givenKey !== 'string' || !sameSecret(givenKey, apiKey))
        throw new CrmsyncError('CRMSYNC_ERR_FORBIDDEN', 'the x-api-key header is not valid', {
          field: 'x-api-key',
        });
      return { user: apiKeyAdmin, via: 'api-key' };
    }
    const sessionId = sessionIdOf(request);
    if (sessionId !== undefined) {
      const verdict = await access.session(sessionId);
      if (!verdict.ok) {
        clearSessionCookie(request, reply);
        throw unauthenticated(reply, verdict.reason, 'cookie');
      }
      const { user, csrfToken } = verdict.value;
      return { user, via: 'session', csrfToken, ownerId: user.id };
    }
    throw unauthenticated(
      reply,
      apiKey === undefined
        ? 'sign in (POST /api/v1/session), or send a bearer token: "Authorization: Bearer <token>"'
        : 'sign in, send a bearer token ("Authorization: Bearer <token>"), or the API key in x-api-key',
      'authorization',
    );
  };

  const guard: AccessGuard = async (request, reply) => {
    const needed = accessOf(request.method, request.routeOptions.url ?? '');
    if (needed === 'public') return;
    const principal = await authenticate(request, reply);
    request.principal = principal;
    if (needed === 'admin' && principal.user.role !== 'admin')
      throw new CrmsyncError(
        'CRMSYNC_ERR_FORBIDDEN',
        `only an administrator may ${request.method} ${request.routeOptions.url}`,
        {},
      );
    if (!isWrite(request.method)) return;
    if (principal.via === 'session') {
      const given = request.headers['x-csrf-token'];
      if (typeof given !== 'string')
        throw new CrmsyncError(
          'CRMSYNC_ERR_CSRF',
          'a write signed in by the session cookie needs the x-csrf-token header, as GET /api/v1/session gives it',
          { field: 'x-csrf-token' },
        );
      if (!sameSecret(given, principal.csrfToken!))
        throw new CrmsyncError('CRMSYNC_ERR_CSRF', "the x-csrf-token header is not this session's", {
          field: 'x-csrf-token',
        });
    }
    await writeLimit.call(app, request, reply);
  };

  const ownPlansOnly = async (request: FastifyRequest): Promise<void> => {
    const principal = request.principal;
    if (!principal || principal.user.role === 'admin') return;
    const params = (request.params ?? {}) as Record<string, unknown>;
    for (const [param, what] of [
      ['planId', 'plan'],
      ['jobId', 'job'],
    ] as const) {
      const id = params[param];
      if (typeof id !== 'string') continue;
      const plan = await state.plans.get(id);
      if (plan && plan.ownerId !== principal.ownerId)
        throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no ${what} ${id}`, { recordId: id });
    }
  };
  return { guard, ownPlansOnly };
}

/** Writes are counted per user; per key or client address where there is no user. */
function writerOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.ownerId !== undefined) return `user:${principal.ownerId}`;
  if (principal?.via === 'api-key') return 'api-key';
  return `address:${request.ip}`;
}
