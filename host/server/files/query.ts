import { CrmsyncError } from '../../../core/index.js';

/** A query parameter given at most once, as a string; a repeated one is a 400 naming it. */
export function singleQueryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', `give the query parameter "${name}" once`, {
      field: `?${name}`,
    });
  }
  return value;
}
