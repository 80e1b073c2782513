import type { CrmServer } from '../../index.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read many differently shaped JSON answers
export type Json = any;

/** One request to the reference CRM with its key (unless `key` is null), answered as parsed JSON. */
export async function call(
  crm: CrmServer,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string>; key?: string | null } = {},
): Promise<{ status: number; json: Json; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers['x-api-key'] = options.key ?? crm.apiKey;
  let body: string | Buffer | undefined = options.raw;
  if (Buffer.isBuffer(options.body)) body = options.body;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${crm.origin}${path}`, { method, headers, body });
  const text = await response.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, headers: response.headers };
}
