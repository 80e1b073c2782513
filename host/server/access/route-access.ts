/**
 * Who may call which route, in one table: every route under /api/v1 needs a signed-in user, a
 * bearer token or the API key, except signing in; administration needs an administrator.
 * Health, the API document and its UI stay open, so that probes and people without a
 * credential yet can reach them. A route added later is a user's route unless listed here.
 */
export type RouteAccess = 'public' | 'user' | 'admin';

const api = '/api/v1';

const rules: [method: string | undefined, pattern: RegExp, access: RouteAccess][] = [
  ['POST', new RegExp(`^${api}/session$`), 'public'],
  [undefined, new RegExp(`^${api}/(users|tokens|plugins|config)(/|$)`), 'admin'],
  [undefined, /^\/metrics$/, 'admin'],
  [undefined, new RegExp(`^${api}(/|$)`), 'user'],
];

/** What a route needs, by its method and URL pattern (`/api/v1/plans/:planId`). */
export function accessOf(method: string, url: string): RouteAccess {
  const rule = rules.find(([ruleMethod, pattern]) => (ruleMethod ?? method) === method && pattern.test(url));
  return rule?.[2] ?? 'public';
}

/** POST, PUT, PATCH and DELETE change something: they are rate-limited and, under a session, need the CSRF token. */
export const isWrite = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method);
