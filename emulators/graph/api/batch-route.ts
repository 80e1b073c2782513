import type { FastifyInstance } from 'fastify';
import { badRequest, graphErrorBody } from './graph-error.js';

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

interface InnerResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const forwardedHeaders = [
  'Retry-After',
  'Location',
  'ETag',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];

/** How many inner requests of one batch Graph hands Outlook at once. */
const parallelPerBatch = 4;
const maxRequests = 20;

/**
 * JSON batching: up to 20 requests in one round trip, each run as if sent alone (its own
 * status, throttling and faults), `dependsOn` sequencing them and 424 after a failed
 * dependency. The outer answer is 200 whenever the batch itself is well-formed.
 */
export function registerBatchRoute(app: FastifyInstance, innerMarker: { name: string; value: string }): void {
  app.post('/v1.0/$batch', async (request) => {
    const requests = validated(request.body);
    const authorization = request.headers.authorization;
    const responses = new Map<string, InnerResponse>();
    const pending = new Map(requests.map((inner) => [inner.id, inner]));
    const running = new Map<string, Promise<void>>();

    const run = async (inner: InnerRequest) => {
      const failedDependency = (inner.dependsOn ?? []).find(
        (id) => (responses.get(id)?.status ?? 500) >= 400,
      );
      if (failedDependency !== undefined) {
        responses.set(inner.id, {
          id: inner.id,
          status: 424,
          headers: { 'Content-Type': 'application/json' },
          body: graphErrorBody(
            'FailedDependency',
            `The request depends on request '${failedDependency}', which failed.`,
          ),
        });
        return;
      }
      responses.set(inner.id, await execute(app, inner, authorization, innerMarker));
    };

    while (pending.size > 0 || running.size > 0) {
      for (const inner of [...pending.values()]) {
        if (running.size >= parallelPerBatch) break;
        if ((inner.dependsOn ?? []).some((id) => !responses.has(id))) continue;
        pending.delete(inner.id);
        running.set(
          inner.id,
          run(inner).finally(() => running.delete(inner.id)),
        );
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    // A dependency cycle leaves requests that can never run; they fail like a failed dependency.
    for (const inner of pending.values())
      responses.set(inner.id, {
        id: inner.id,
        status: 424,
        headers: { 'Content-Type': 'application/json' },
        body: graphErrorBody('FailedDependency', 'The request depends on requests that never ran.'),
      });
    // Answers come in completion order, not request order, as Graph's may.
    return { responses: [...responses.values()] };
  });
}

function validated(body: unknown): InnerRequest[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw badRequest('Invalid batch payload format.');
  if (requests.length > maxRequests)
    throw badRequest(`The number of requests in the batch exceeds the maximum of ${maxRequests}.`);
  const ids = new Set<string>();
  for (const inner of requests as InnerRequest[]) {
    if (typeof inner?.id !== 'string' || typeof inner.method !== 'string' || typeof inner.url !== 'string')
      throw badRequest('Every request of a batch needs an id, a method and a url.');
    if (ids.has(inner.id)) throw badRequest(`The batch has two requests with the id '${inner.id}'.`);
    ids.add(inner.id);
    if (/^https?:/i.test(inner.url)) throw badRequest(`The url of request '${inner.id}' must be relative.`);
  }
  for (const inner of requests as InnerRequest[]) {
    for (const id of inner.dependsOn ?? [])
      if (!ids.has(id))
        throw badRequest(`Request '${inner.id}' depends on '${id}', which is not in the batch.`);
  }
  return requests as InnerRequest[];
}

async function execute(
  app: FastifyInstance,
  inner: InnerRequest,
  authorization: string | undefined,
  marker: { name: string; value: string },
): Promise<InnerResponse> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(inner.headers ?? {})) headers[name.toLowerCase()] = value;
  if (authorization) headers.authorization = authorization;
  headers[marker.name] = marker.value;
  let payload: string | Buffer | undefined;
  if (inner.body !== undefined && inner.body !== null) {
    const type = headers['content-type'];
    if (!type) {
      return {
        id: inner.id,
        status: 400,
        headers: { 'Content-Type': 'application/json' },
        body: graphErrorBody('BadRequest', 'A request with a body needs a Content-Type header.'),
      };
    }
    payload = /json/i.test(type) ? JSON.stringify(inner.body) : Buffer.from(String(inner.body), 'base64');
  }
  const url = `/v1.0${inner.url.startsWith('/') ? '' : '/'}${inner.url}`;
  const response = await app.inject({
    method: inner.method.toUpperCase() as 'GET',
    url,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
  const answerHeaders: Record<string, string> = {};
  const type = String(response.headers['content-type'] ?? '');
  for (const name of forwardedHeaders) {
    const value = response.headers[name.toLowerCase()];
    if (value !== undefined) answerHeaders[name] = String(value);
  }
  let body: unknown = null;
  if (response.rawPayload.length > 0) {
    if (type.startsWith('application/json')) {
      answerHeaders['Content-Type'] = 'application/json';
      body = JSON.parse(response.body);
    } else {
      answerHeaders['Content-Type'] = type;
      body = response.rawPayload.toString('base64');
    }
  }
  return { id: inner.id, status: response.statusCode, headers: answerHeaders, body };
}
