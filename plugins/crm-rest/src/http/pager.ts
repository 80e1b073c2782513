import { CrmsyncError, withoutCredentials } from '../../../../core/index.js';
import { getAt } from '../mapping/json-pointer.js';
import type { Paging } from '../profile/profile.js';
import type { HttpClient } from './http-client.js';
import { listAt } from './list-at.js';

export interface PageRequest {
  path: string;
  query: [string, string][];
  endpoint: string;
}

interface Page {
  items: unknown[];
  next?: PageRequest;
}

/** The `rel="next"` target of a Link header, resolved against the URL that was fetched. */
export function nextLink(header: string | null, requested: URL): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (match && /rel="?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2]!))
      return new URL(match[1]!, requested).href;
  }
  return undefined;
}

async function fetchPage(client: HttpClient, request: PageRequest, paging: Paging): Promise<Page> {
  const { body, headers } = await client.json({
    method: 'GET',
    path: request.path,
    query: request.query,
    endpoint: request.endpoint,
  });
  const items = listAt(body, paging.items, 'the page', request.endpoint);
  const size = paging.size ?? 100;
  const full = items.length > 0 && items.length >= size;
  const withParam = (name: string, value: string): PageRequest => ({
    ...request,
    query: [...request.query.filter(([key]) => key !== name), [name, value]],
  });
  switch (paging.style) {
    case 'cursor': {
      const cursor = getAt(body, paging.nextCursor!);
      const more =
        items.length > 0 && (typeof cursor === 'string' ? cursor !== '' : typeof cursor === 'number');
      return { items, next: more ? withParam(paging.cursorParam!, String(cursor)) : undefined };
    }
    case 'page': {
      const current = Number(
        request.query.find(([key]) => key === paging.pageParam)?.[1] ?? paging.firstPage ?? 1,
      );
      const total = paging.totalPages ? getAt(body, paging.totalPages) : undefined;
      const more =
        typeof total === 'number' ? items.length > 0 && current < total - 1 + (paging.firstPage ?? 1) : full;
      return { items, next: more ? withParam(paging.pageParam!, String(current + 1)) : undefined };
    }
    case 'offset': {
      const offset =
        Number(request.query.find(([key]) => key === paging.offsetParam)?.[1] ?? 0) + items.length;
      const total = paging.total ? getAt(body, paging.total) : undefined;
      const more = typeof total === 'number' ? items.length > 0 && offset < total : full;
      return { items, next: more ? withParam(paging.offsetParam!, String(offset)) : undefined };
    }
    case 'link': {
      const next = nextLink(headers.get('link'), client.url(request.path, request.query));
      if (next && new URL(next).origin !== client.origin) {
        // Following it would hand the credentials to another host.
        throw new CrmsyncError(
          'CRMSYNC_ERR_CRM_RESPONSE',
          `the next-page link ${withoutCredentials(next)} leads away from the CRM at ${client.origin}; crmsync does not follow it`,
          { endpoint: request.endpoint, field: 'Link' },
        );
      }
      return {
        items,
        next: next && items.length ? { path: next, query: [], endpoint: request.endpoint } : undefined,
      };
    }
    default:
      return { items };
  }
}

/**
 * The records of a list endpoint, page by page, in any of the paging styles. The next page is
 * requested while the caller works through the current one, so the network and the mapping overlap.
 */
export async function* pages(
  client: HttpClient,
  first: PageRequest,
  paging: Paging,
): AsyncGenerator<unknown[]> {
  const query = [...first.query];
  if (paging.sizeParam) query.push([paging.sizeParam, String(paging.size ?? 100)]);
  if (paging.style === 'page' && paging.pageParam)
    query.push([paging.pageParam, String(paging.firstPage ?? 1)]);
  let pending: Promise<Page> | undefined = fetchPage(client, { ...first, query }, paging);
  try {
    while (pending) {
      const page: Page = await pending;
      pending = page.next ? fetchPage(client, page.next, paging) : undefined;
      yield page.items;
    }
  } finally {
    // A caller that stops early leaves a prefetched page behind; its failure is nobody's concern.
    pending?.catch(() => {});
  }
}
