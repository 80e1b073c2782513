import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { CrmsyncError } from '../../core/index.js';

const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];
const wildcardAddresses = new Set(['0.0.0.0', '::', '[::]', '']);

const hostNameOf = (value: string): string | undefined => {
  try {
    return new URL(`http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};
const hostOf = (value: string): string | undefined => {
  try {
    return new URL(`http://${value}`).host.toLowerCase();
  } catch {
    return undefined;
  }
};

/**
 * The names this host answers to: its listen address, the loopback names and
 * `host.allowedHosts`. A page on another name that resolves to this machine (DNS rebinding)
 * is refused. Listening on every address (0.0.0.0, ::), any IP literal is its own too: an IP
 * cannot be rebound.
 */
export function hostNameCheck(address: string, allowedHosts: string[]): (hostHeader: string) => boolean {
  const own = new Set(
    [
      address.includes(':') && !address.startsWith('[') ? `[${address}]` : address,
      ...loopbackNames,
      ...allowedHosts,
    ].map((name) => hostNameOf(name) ?? name.toLowerCase()),
  );
  const anyIp = wildcardAddresses.has(address);
  return (hostHeader) => {
    const name = hostNameOf(hostHeader);
    if (name === undefined) return false;
    return own.has(name) || (anyIp && isIP(name.replace(/^\[|\]$/g, '')) !== 0);
  };
}

/** Refuses a request for a host name that is not this host's (every route, /health too). */
export function registerHostCheck(app: FastifyInstance, address: string, allowedHosts: string[]): void {
  const isOwn = hostNameCheck(address, allowedHosts);
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host;
    if (host !== undefined && !isOwn(host)) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_FOREIGN_ORIGIN',
        `crmsync does not answer to the host name "${host}"; add it to host.allowedHosts if it is this host's`,
        { field: 'host' },
      );
    }
  });
}

const formTypes = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;
const multipartType = /^multipart\/form-data\s*;/i;

/** Route options of a route that reads a `multipart/form-data` body (an upload from a browser's file input). */
export const readsForms = { config: { readsForms: true } } as const;

/**
 * What a browser may send to another site without asking first ("simple" requests) never
 * reaches the API: a request from a page of another origin is refused (403), and a form body
 * (415) is refused before anything is parsed — except a multipart form on a route that reads
 * one (`readsForms`), which a page of another site still cannot send: its `Origin` (or
 * `Sec-Fetch-Site`, which browsers add to every request) gives it away.
 */
export function registerCrossSiteGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      let originHost: string | undefined;
      try {
        const url = new URL(origin);
        if (url.protocol === 'http:' || url.protocol === 'https:') originHost = url.host.toLowerCase();
      } catch {
        originHost = undefined;
      }
      const host = request.headers.host;
      if (!originHost || !host || originHost !== hostOf(host)) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_FOREIGN_ORIGIN',
          `a page of ${origin} may not use this API; only pages served by this host may`,
          { field: 'origin' },
        );
      }
    }
    const type = request.headers['content-type'];
    if (type === undefined || !formTypes.test(type)) return;
    const site = request.headers['sec-fetch-site'];
    const formRoute = (request.routeOptions.config as { readsForms?: boolean } | undefined)?.readsForms;
    if (formRoute && multipartType.test(type)) {
      if (site === undefined || site === 'same-origin' || site === 'none') return;
      throw new CrmsyncError(
        'CRMSYNC_ERR_FOREIGN_ORIGIN',
        `a form from a page of another site (${site}) may not use this API`,
        { field: 'sec-fetch-site' },
      );
    }
    throw new CrmsyncError(
      'CRMSYNC_ERR_UNSUPPORTED_MEDIA_TYPE',
      `the API does not read form bodies here (${type})`,
      {
        field: 'content-type',
      },
    );
  });
}
