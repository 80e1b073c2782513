import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** Graph's error body: code and message for programs and people, request id and date for support. */
export function graphErrorBody(code: string, message: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': randomUUID(),
        'client-request-id': randomUUID(),
      },
    },
  };
}

/** An error a route throws; the server's error handler answers it in Graph's format. */
export class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendGraphError(reply: FastifyReply, failure: GraphFailure): FastifyReply {
  for (const [name, value] of Object.entries(failure.headers)) reply.header(name, value);
  return reply
    .code(failure.status)
    .type('application/json')
    .send(graphErrorBody(failure.code, failure.message));
}

export const notFound = (what = 'The specified object was not found in the store.') =>
  new GraphFailure(404, 'ErrorItemNotFound', what);
export const badRequest = (message: string, code = 'BadRequest') => new GraphFailure(400, code, message);
