import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** dist/web, where `npm run build` writes the bundled client, beside dist/host. */
export const webClientDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

/**
 * The page may load only what this host serves: its own script and style, images it makes
 * itself (downloads, photos as data), and the API. Nothing from elsewhere, no inline script.
 */
const pagePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const hashedAsset = /\/assets\/[^/]+-[A-Z0-9]{8}\.[a-z.]+$/i;

/**
 * The web client at `/`: files whose names carry their content hash may be kept for a year
 * unasked (a new build names new files); index.html, which names them, is asked for again
 * each time. A host built without the client (dist/web missing) serves the API alone.
 */
export async function registerWebClient(app: FastifyInstance, root = webClientDir): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn(`the web client is not built (${root} has no index.html); serving the API only`);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // Only the files there at start are routes: every other URL stays the API's 404.
    wildcard: false,
    index: 'index.html',
    cacheControl: false,
    setHeaders: (reply, path) => {
      if (hashedAsset.test(path)) {
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      } else {
        reply.header('cache-control', 'no-cache');
        reply.header('content-security-policy', pagePolicy);
      }
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'same-origin');
    },
  });
}
