import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const sessionCookie = 'crmsync_session';

/**
 * The cookie carries only the session's random id. Scripts cannot read it (HttpOnly), other
 * sites' pages do not send it with their requests (SameSite=Lax), and it travels only over
 * TLS when the host is reached that way (directly, or through a proxy it trusts).
 */
function cookieOptions(request: FastifyRequest): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' };
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, sessionId: string): void {
  reply.setCookie(sessionCookie, sessionId, cookieOptions(request));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookie, cookieOptions(request));
}

export const sessionIdOf = (request: FastifyRequest): string | undefined => request.cookies?.[sessionCookie];
