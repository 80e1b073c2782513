/**
 * The only file that knows Microsoft's Graph client library (3.0.x, which has had no release
 * since 2023): moving to its successor means rewriting this file and nothing else. The rest
 * of the connector sees `GraphConnection`: a request in, a status, headers and body out.
 */
import { Agent } from 'node:https';
import {
  AuthenticationHandler,
  Client,
  type Context,
  type Middleware,
  ResponseType,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import type { OutboundRequest } from '../../../../core/index.js';
import { type FetchInit, httpsFetch } from './https-fetch.js';

export interface GraphRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** A path below the version (`/users/…`) or an absolute link Graph handed out (nextLink, deltaLink). */
  url: string;
  headers?: Record<string, string>;
  /** JSON for objects, bytes sent as they are. */
  body?: unknown;
}

export interface GraphAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, bytes for anything else, undefined when empty. */
  body: unknown;
}

export interface GraphConnection {
  /** Sends one request; HTTP errors come back as answers, only a failed transport throws. */
  send(request: GraphRequest): Promise<GraphAnswer>;
  close(): void;
}

export interface GraphConnectionOptions {
  /** e.g. https://graph.microsoft.com/v1.0 */
  baseUrl: string;
  getAccessToken(): Promise<string>;
  /** Extra certificate authority (PEM) to trust besides the system's, e.g. the emulator's. */
  ca?: string;
  timeoutMs?: number;
  /** Retries of a single throttled or unavailable request, honouring Retry-After. */
  maxRetries?: number;
  /** Wait without Retry-After before the first retry, in seconds. */
  retryDelaySeconds?: number;
  /**
   * Told of every request sent to Graph, each retry its own, as its answer arrives (or none
   * does); and of every request a batch carried, with the answer it got inside the batch.
   */
  onRequest?: (request: OutboundRequest) => void;
}

/** The request failed before any answer (connection refused or reset, timeout). */
export class GraphTransportError extends Error {}

/**
 * The client's last middleware: sends through node's https with our agent. It sits below the
 * retry handler, so every request that goes out is seen, a retried one each time.
 */
class HttpsTransport implements Middleware {
  constructor(
    private readonly fetch: ReturnType<typeof httpsFetch>,
    private readonly onRequest: GraphConnectionOptions['onRequest'],
  ) {}
  async execute(context: Context): Promise<void> {
    const request = context.request;
    const url = typeof request === 'string' ? request : request.url;
    const init = (context.options ?? {}) as FetchInit;
    const started = performance.now();
    let status: number | undefined;
    try {
      context.response = await this.fetch(url, init);
      status = context.response.status;
    } finally {
      this.onRequest?.({
        service: 'graph',
        method: (init.method ?? 'GET').toUpperCase(),
        ...(status !== undefined ? { status } : {}),
        seconds: (performance.now() - started) / 1000,
      });
    }
  }
}

export function connectGraph(options: GraphConnectionOptions): GraphConnection {
  const base = new URL(options.baseUrl);
  const version = base.pathname.replace(/^\/+|\/+$/g, '') || 'v1.0';
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ...(options.ca ? { ca: options.ca } : {}) });
  // The client adds the token only for Graph's own hosts and the ones named here.
  const customHosts = base.hostname === 'graph.microsoft.com' ? undefined : new Set([base.hostname]);
  const auth = new AuthenticationHandler({ getAccessToken: () => options.getAccessToken() });
  // A request is repeated only when that cannot do a write twice: a 429 was never run, and
  // reads, photo uploads and deletes are idempotent. Creates and updates after a 503, and
  // batches, are the connector's to retry because it can check what happened first.
  const retry = new RetryHandler(
    new RetryHandlerOptions(
      options.retryDelaySeconds ?? 3,
      options.maxRetries ?? 3,
      (_delay, _attempt, request, fetchOptions, response) => {
        if (response.status === 429) return !isBatch(request);
        return ['GET', 'PUT', 'DELETE'].includes((fetchOptions?.method ?? 'GET').toUpperCase());
      },
    ),
  );
  const transport = new HttpsTransport(httpsFetch(agent, options.timeoutMs ?? 60_000), options.onRequest);
  auth.setNext(retry);
  retry.setNext(transport);
  const client = Client.initWithMiddleware({
    middleware: auth,
    baseUrl: `${base.origin}/`,
    defaultVersion: version,
    ...(customHosts ? { customHosts } : {}),
  });

  return {
    async send(request) {
      let api = client.api(request.url).responseType(ResponseType.RAW);
      for (const [name, value] of Object.entries(request.headers ?? {})) api = api.header(name, value);
      let response: Response;
      try {
        const method = request.method;
        const body = request.body;
        response = (await (method === 'GET'
          ? api.get()
          : method === 'POST'
            ? api.post(body)
            : method === 'PATCH'
              ? api.patch(body)
              : method === 'PUT'
                ? api.put(body)
                : api.delete())) as Response;
      } catch (error) {
        throw new GraphTransportError((error as Error)?.message ?? String(error), { cause: error });
      }
      const answer = { status: response.status, headers: response.headers, body: await bodyOf(response) };
      if (options.onRequest && isBatch(request.url)) reportBatched(request, answer, options.onRequest);
      return answer;
    },
    close: () => agent.destroy(),
  };
}

/**
 * Each request a JSON batch carried, with its own answer: Graph throttles them one by one, so
 * a 429 inside a batch that answered 200 is a throttling answer all the same.
 */
function reportBatched(
  request: GraphRequest,
  answer: GraphAnswer,
  onRequest: NonNullable<GraphConnectionOptions['onRequest']>,
): void {
  const sent = (request.body as { requests?: { id: string; method?: string }[] } | undefined)?.requests ?? [];
  const answered = (answer.body as { responses?: { id: string; status?: number }[] } | undefined)?.responses;
  if (answer.status !== 200 || !Array.isArray(answered)) return;
  const methods = new Map(sent.map((inner) => [inner.id, (inner.method ?? 'GET').toUpperCase()]));
  for (const inner of answered)
    onRequest({
      service: 'graph',
      method: methods.get(inner.id) ?? 'GET',
      ...(typeof inner.status === 'number' ? { status: inner.status } : {}),
      seconds: 0,
      inBatch: true,
    });
}

function isBatch(request: string | Request): boolean {
  const url = typeof request === 'string' ? request : request.url;
  return /\/\$batch(\?|$)/.test(url);
}

async function bodyOf(response: Response): Promise<unknown> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length === 0) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (/json/i.test(type)) return JSON.parse(Buffer.from(bytes).toString('utf8'));
  return bytes;
}
