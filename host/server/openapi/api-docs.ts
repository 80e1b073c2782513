import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { accessOf, isWrite } from '../access/route-access.js';
import { sessionCookie } from '../access/session-cookie.js';
import { errorSchema } from '../routes/api-schemas.js';
import { apiAreas, areaOf } from './route-areas.js';

export interface ApiDocsOptions {
  /** The product's version, as `/health` reports it. */
  version: string;
  /** Whether this host takes `x-api-key` on the API routes (host.apiKey is set). */
  apiKeyRequired: boolean;
}

/**
 * Swagger UI's page loads only its own scripts and styles from this host; it never reaches
 * out (no validator badge, no fonts or images from elsewhere) and may not be framed.
 * Its components set inline styles, hence 'unsafe-inline' for styles only.
 */
const docsPagePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const hidden: FastifySchema = { hide: true } as FastifySchema;

/**
 * `GET /openapi.json` (OpenAPI 3.1, built from the routes' own JSON Schemas) and `GET /docs`
 * (Swagger UI). Registered before any route, so that every route is seen as it is added.
 *
 * Both stay outside sign-in, like /health: the document describes the API's shape and holds
 * no configuration, no data and no secret, and a person needs it before holding a token. Every
 * operation that needs a credential says which it takes: a bearer token, the session cookie,
 * and the API key where `host.apiKey` is set. The UI's "Authorize" keeps a token or key in
 * the page's memory only. The host-name check applies to both as to every route.
 */
export async function registerApiDocs(app: FastifyInstance, options: ApiDocsOptions): Promise<void> {
  const credentials = [{ bearer: [] }, { session: [] }, ...(options.apiKeyRequired ? [{ apiKey: [] }] : [])];
  // A route of no area fails the host as it is built, not the document when it is first read.
  app.addHook('onRoute', (route) => {
    if (!(route.schema as { hide?: boolean } | undefined)?.hide) areaOf(route.url);
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'crmsync',
        version: options.version,
        description:
          'Keeps a CRM’s contact persons and groupware contacts in step. Every error answers ' +
          '`{ code, message, location }` with the status its code has in the error catalogue.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token an administrator created' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: sessionCookie,
            description: 'The web client’s sign-in (POST /api/v1/session); writes also send x-csrf-token',
          },
          ...(options.apiKeyRequired
            ? { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } as const }
            : {}),
        },
      },
      tags: apiAreas.map((area) => ({ ...area })),
    },
    transform: ({ schema, url, route }) => {
      if ((schema as { hide?: boolean } | undefined)?.hide) return { schema, url };
      const method = [route.method].flat()[0] ?? 'GET';
      const guarded = accessOf(method, url) !== 'public';
      const write = isWrite(method);
      const response = {
        ...(schema?.response as Record<string, unknown> | undefined),
        ...(guarded ? { 401: errorSchema, 403: errorSchema } : {}),
        ...(guarded && write ? { 429: errorSchema } : {}),
      };
      return {
        url,
        schema: {
          ...schema,
          tags: [areaOf(url)],
          response,
          ...(guarded ? { security: credentials } : {}),
        } as FastifySchema,
      };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: docsPagePolicy,
    uiConfig: { deepLinking: true },
  });
  app.get('/openapi.json', { schema: hidden }, async () => app.swagger());
}
