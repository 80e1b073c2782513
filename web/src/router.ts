import { useEffect, useState } from 'preact/hooks';

/**
 * Pages live in the URL's fragment (`#/import`), so the host serves one index.html for all of
 * them and a reload or a bookmark lands on the same page.
 */
export type Route =
  | { page: 'start' }
  | { page: 'export' }
  | { page: 'import' }
  | { page: 'contacts'; query: URLSearchParams }
  | { page: 'contact'; crmId: string }
  | { page: 'sync' }
  | { page: 'sync-run'; planId: string }
  | { page: 'not-found' };

export function routeOf(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  let parts: string[];
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    // A link cut off inside an escape (`%E0%A4`) names no page; left to throw, it blanks the app.
    return { page: 'not-found' };
  }
  switch (parts[0]) {
    case undefined:
      return { page: 'start' };
    case 'export':
      return { page: 'export' };
    case 'import':
      return { page: 'import' };
    case 'contacts':
      return parts[1]
        ? { page: 'contact', crmId: parts[1] }
        : { page: 'contacts', query: new URLSearchParams(search) };
    case 'sync':
      return parts[1] ? { page: 'sync-run', planId: parts[1] } : { page: 'sync' };
    default:
      return { page: 'not-found' };
  }
}

export const href = {
  start: '#/',
  export: '#/export',
  import: '#/import',
  contacts: (query = '') => `#/contacts${query ? `?${query}` : ''}`,
  contact: (crmId: string) => `#/contacts/${encodeURIComponent(crmId)}`,
  sync: '#/sync',
  syncRun: (planId: string) => `#/sync/${encodeURIComponent(planId)}`,
};

export function navigate(to: string): void {
  if (location.hash === to) return;
  location.hash = to;
}

/** Replaces the current entry, for a page that only records its state (a search's criteria). */
export function replaceRoute(to: string): void {
  history.replaceState(null, '', to);
}

export function useRoute(): { route: Route; hash: string } {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return { route: routeOf(hash), hash };
}
