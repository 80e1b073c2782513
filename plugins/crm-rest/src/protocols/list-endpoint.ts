import { CrmsyncError, type Fetched } from '../../../../core/index.js';
import { type CrmRecords, label } from '../crm-records.js';
import { type PageRequest, pages } from '../http/pager.js';
import type { ListEndpoint, Paging } from '../profile/profile.js';

/** Search criteria as the endpoint's query parameters, value codes mapped as the profile says. */
export function searchParams(
  crm: CrmRecords,
  endpointName: 'searchContacts' | 'searchPartners',
  query: Record<string, unknown>,
): [string, string][] {
  const endpoint = crm.require(endpointName);
  const what = endpointName === 'searchContacts' ? 'contacts' : 'partners';
  const params: [string, string][] = Object.entries(endpoint.fixedParams ?? {});
  for (const [criterion, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    const mapping = endpoint.params?.[criterion];
    const pointer = `/endpoints/${endpointName}/params/${criterion}`;
    if (!mapping) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_UNSUPPORTED_QUERY',
        `this CRM profile cannot search ${what} by ${criterion}`,
        {
          file: crm.profileFile,
          pointer,
        },
      );
    }
    const spec = typeof mapping === 'string' ? { param: mapping } : mapping;
    const code = spec.values
      ? Object.keys(spec.values).find((key) => spec.values![key] === value)
      : String(value);
    if (code === undefined) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_UNSUPPORTED_QUERY',
        `no code for ${criterion} = ${JSON.stringify(value)} in the profile`,
        {
          file: crm.profileFile,
          pointer: `${pointer}/values`,
        },
      );
    }
    params.push([spec.param, code]);
  }
  return params;
}

/** Every record of a list endpoint, mapped one by one: a record that does not map is a problem and the rest goes on. */
export async function* streamRecords<T>(
  crm: CrmRecords,
  endpoint: ListEndpoint,
  query: [string, string][],
  map: (record: unknown, where: string) => Fetched<T>,
): AsyncIterable<Fetched<T>> {
  const paging: Paging = { ...crm.profile.paging, ...endpoint.paging } as Paging;
  const where = label(endpoint);
  const first: PageRequest = { path: endpoint.path, query, endpoint: where };
  for await (const records of pages(crm.http, first, paging)) {
    for (const record of records) yield map(record, where);
  }
}
