import type { StoredContact } from '../store/mailbox-store.js';
import { badRequest } from './graph-error.js';

export type Query = Record<string, string | undefined>;

/** A contact as Graph answers with it, limited to `$select` and with the expanded extended properties. */
export function contactJson(
  contact: StoredContact,
  query: Query,
  contextUrl?: string,
): Record<string, unknown> {
  const select = selected(query);
  const full: Record<string, unknown> = {
    '@odata.etag': `W/"${contact.changeKey}"`,
    id: contact.id,
    createdDateTime: contact.createdDateTime,
    lastModifiedDateTime: contact.lastModifiedDateTime,
    changeKey: contact.changeKey,
    categories: contact.categories,
    parentFolderId: contact.folderId,
    ...contact.data,
  };
  const answer: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(full)) {
    if (!select || name === 'id' || name === '@odata.etag' || select.has(name.toLowerCase()))
      answer[name] = value;
  }
  const expand = expandedIds(query);
  if (expand) {
    const properties = [...contact.extended.values()].filter(
      (property) => expand === 'all' || expand.has(property.id.toLowerCase()),
    );
    if (contextUrl)
      answer['singleValueExtendedProperties@odata.context'] =
        `${contextUrl}('${encodeURIComponent(contact.id)}')/singleValueExtendedProperties`;
    answer.singleValueExtendedProperties = properties.map(({ id, value }) => ({ id, value }));
  }
  return answer;
}

function selected(query: Query): Set<string> | undefined {
  const select = query.$select?.trim();
  if (!select) return undefined;
  return new Set(select.split(',').map((name) => name.trim().toLowerCase()));
}

const expandPattern =
  /^singleValueExtendedProperties(?:\(\s*\$filter\s*=\s*id\s+eq\s+'((?:[^']|'')*)'(?:\s+or\s+id\s+eq\s+'((?:[^']|'')*)')*\s*\))?$/i;

/** The extended property ids `$expand` asks for, `all` without a filter, none without `$expand`. */
function expandedIds(query: Query): Set<string> | 'all' | undefined {
  const expand = query.$expand?.trim();
  if (!expand) return undefined;
  const match = expandPattern.exec(expand);
  if (!match)
    throw badRequest(
      `Parsing OData Select and Expand failed: Could not find a property named '${expand}' on type 'microsoft.graph.contact'.`,
    );
  if (match[1] === undefined) return 'all';
  const ids = [...expand.matchAll(/id\s+eq\s+'((?:[^']|'')*)'/gi)].map((m) => unquote(m[1]!).toLowerCase());
  return new Set(ids);
}

const unquote = (literal: string) => literal.replaceAll("''", "'");

/** A test a contact passes or fails, built from the `$filter` forms Graph documents for contacts. */
export type ContactFilter = (contact: StoredContact) => boolean;

const extendedFilter =
  /^singleValueExtendedProperties\/any\(\s*(\w+)\s*:\s*\1\/id\s+eq\s+'((?:[^']|'')*)'\s+and\s+\1\/value\s+eq\s+'((?:[^']|'')*)'\s*\)$/i;
const emailFilter = /^emailAddresses\/any\(\s*(\w+)\s*:\s*\1\/address\s+eq\s+'((?:[^']|'')*)'\s*\)$/i;

export function contactFilter(query: Query): ContactFilter | undefined {
  const filter = query.$filter?.trim();
  if (!filter) return undefined;
  const extended = extendedFilter.exec(filter);
  if (extended) {
    const id = unquote(extended[2]!).toLowerCase();
    const value = unquote(extended[3]!);
    return (contact) => contact.extended.get(id)?.value === value;
  }
  const email = emailFilter.exec(filter);
  if (email) {
    const address = unquote(email[2]!).toLowerCase();
    return (contact) =>
      (contact.data.emailAddresses as { address: string | null }[]).some(
        (entry) => entry.address?.toLowerCase() === address,
      );
  }
  throw badRequest('The query filter contains one or more invalid nodes.', 'ErrorInvalidUrlQueryFilter');
}

/** `$top` as Graph reads it: 10 when absent, at most 1000. */
export function pageSize(query: Query, fallback = 10): number {
  if (query.$top === undefined) return fallback;
  const top = Number(query.$top);
  if (!Number.isInteger(top) || top < 1)
    throw badRequest(`Invalid value '${query.$top}' for $top query option found.`);
  return Math.min(top, 1000);
}

export function skipOf(query: Query): number {
  const skip = Number(query.$skip ?? 0);
  if (!Number.isInteger(skip) || skip < 0)
    throw badRequest(`Invalid value '${query.$skip}' for $skip query option found.`);
  return skip;
}

/** `Prefer: odata.maxpagesize=n`, the page size of delta rounds. */
export function preferredPageSize(prefer: string | string[] | undefined, fallback: number): number {
  const text = Array.isArray(prefer) ? prefer.join(',') : (prefer ?? '');
  const match = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(text);
  return match ? Math.max(1, Math.min(Number(match[1]), 1000)) : fallback;
}
