import { randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { registerBatchRoute } from './api/batch-route.js';
import { registerContactRoutes } from './api/contact-routes.js';
import { DeltaTokens, registerDeltaRoutes } from './api/delta-routes.js';
import { FaultInjector } from './api/faults.js';
import { GraphFailure, sendGraphError } from './api/graph-error.js';
import { registerPhotoRoutes } from './api/photo-routes.js';
import { mailboxOf, outlookLimits, Throttling, type ThrottlingOptions } from './api/throttling.js';
import { registerTokenRoutes } from './auth/token-routes.js';
import { type AppRegistration, TokenService } from './auth/token-service.js';
import { loopbackCertificate } from './certificate.js';
import { GraphStore } from './store/mailbox-store.js';

/** Not secrets: the app registration of a local emulator, printed so that it runs out of the box. */
export const emulatorApp: AppRegistration = {
  tenantId: '7d3b4c1e-0c5a-4f3e-9b1a-00000000c0de',
  clientId: '5f0e3a2b-6c1d-4e8f-9a7b-000000000001',
  clientSecret: 'emulator-client-secret',
};
export const defaultMailboxes = ['anna@contoso.example', 'ben@contoso.example'];

export interface GraphServerOptions {
  port?: number;
  /** Users whose mailboxes exist, by principal name. */
  mailboxes?: readonly string[];
  app?: Partial<AppRegistration>;
  /** Lifetime of issued tokens in seconds (Entra: 3599). */
  tokenLifetimeSeconds?: number;
  throttling?: Partial<ThrottlingOptions>;
  /** The largest request body, photos included (Graph: 4 MB). */
  maxRequestBytes?: number;
}

export interface GraphStats {
  /** HTTP requests to the Graph API (token requests not counted); a batch is one. */
  roundTrips: number;
  /** Graph operations: plain requests plus every request inside a batch. */
  requests: number;
  /** Answers with status 429, inner ones included. */
  throttled: number;
}

export interface GraphServer {
  /** The Graph base URL, e.g. https://127.0.0.1:8443/v1.0 */
  readonly url: string;
  readonly origin: string;
  /** The authority host for the identity libraries (the emulator serves the token endpoint too). */
  readonly authorityHost: string;
  readonly app: AppRegistration;
  /** PEM of the certificate the server presents; clients trust it as their only extra CA. */
  readonly ca: string;
  readonly store: GraphStore;
  readonly tokens: TokenService;
  readonly deltaTokens: DeltaTokens;
  readonly throttling: Throttling;
  readonly faults: FaultInjector;
  readonly stats: GraphStats;
  readonly fastify: FastifyInstance;
  resetStats(): void;
  close(): Promise<void>;
}

/** Starts the Graph emulator over HTTPS in this process; port 0 picks a free port. */
export async function startGraphServer(options: GraphServerOptions = {}): Promise<GraphServer> {
  const { cert, key } = await loopbackCertificate();
  const maxRequestBytes = options.maxRequestBytes ?? 4 * 1024 * 1024;
  const fastify = Fastify({
    logger: false,
    https: { cert, key },
    bodyLimit: maxRequestBytes,
    routerOptions: { caseSensitive: false },
  });
  let origin = '';
  const store = new GraphStore(options.mailboxes ?? defaultMailboxes);
  const app = { ...emulatorApp, ...options.app };
  const tokens = new TokenService(app, options.tokenLifetimeSeconds);
  const deltaTokens = new DeltaTokens();
  const throttling = new Throttling({ ...outlookLimits, ...options.throttling });
  const faults = new FaultInjector();
  const stats: GraphStats = { roundTrips: 0, requests: 0, throttled: 0 };
  const innerMarker = { name: 'x-crmsync-emulator-inner', value: randomBytes(16).toString('hex') };
  const clients = new WeakMap<FastifyRequest, string>();

  fastify.addContentTypeParser(
    ['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'application/octet-stream'],
    { parseAs: 'buffer' },
    (_request, body, done) => done(null, body),
  );
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  fastify.addHook('onRequest', async (request, reply) => {
    if (!/^\/v1\.0\//i.test(request.url)) return;
    const inBatch = request.headers[innerMarker.name] === innerMarker.value;
    if (inBatch) stats.requests++;
    else {
      stats.roundTrips++;
      if (!/^\/v1\.0\/\$batch/i.test(request.url)) stats.requests++;
    }
    const check = tokens.check(request.headers.authorization);
    if (!check.ok) throw new GraphFailure(401, 'InvalidAuthenticationToken', check.message);
    clients.set(request, check.clientId);
    if (/^\/v1\.0\/me(\/|$|\?)/i.test(request.url))
      throw new GraphFailure(
        400,
        'BadRequest',
        '/me request is only valid with delegated authentication flow.',
      );
    const fault = faults.take(request, inBatch);
    if (fault && fault.kind !== 'delay' && (await faults.apply(fault, request))) return reply.hijack();
    const mailbox = mailboxOf(request.url);
    if (mailbox !== undefined) throttling.admit(request, reply, check.clientId, mailbox);
    // A slow answer is slow while it runs, so it holds its place among the mailbox's concurrent requests.
    if (fault?.kind === 'delay') await faults.apply(fault, request);
  });
  throttling.register(fastify);
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (faults.losesAnswer(request)) request.raw.socket.destroy();
    if (reply.statusCode === 429) stats.throttled++;
    reply.header('request-id', randomUUID());
    return payload;
  });

  fastify.setErrorHandler((error: FastifyError | GraphFailure, _request, reply) => {
    if (error instanceof GraphFailure) return sendGraphError(reply, error);
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    const code =
      status === 413
        ? 'RequestEntityTooLarge'
        : status === 415
          ? 'UnsupportedMediaType'
          : status >= 500
            ? 'InternalServerError'
            : 'BadRequest';
    const message =
      status === 413
        ? `The request is larger than ${maxRequestBytes} bytes.`
        : error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
          ? 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'
          : error.message;
    return sendGraphError(reply, new GraphFailure(status, code, message));
  });
  fastify.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const segment = path.split('/').filter(Boolean).at(-1) ?? '';
    return sendGraphError(
      reply,
      new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
    );
  });

  const context = { store, origin: () => origin };
  registerTokenRoutes(fastify, tokens, () => origin);
  registerDeltaRoutes(fastify, context, deltaTokens);
  registerContactRoutes(fastify, context);
  registerPhotoRoutes(fastify, store, () => origin);
  registerBatchRoute(fastify, innerMarker);

  await fastify.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  origin = `https://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1.0`,
    origin,
    authorityHost: origin,
    app,
    ca: cert,
    store,
    tokens,
    deltaTokens,
    throttling,
    faults,
    stats,
    fastify,
    resetStats: () => Object.assign(stats, { roundTrips: 0, requests: 0, throttled: 0 }),
    close: () => fastify.close(),
  };
}
