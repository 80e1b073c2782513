/**
 * A header of a Graph answer by name, in any case: the client library hands over `Headers`,
 * while answers inside a batch carry a plain object whose names Graph spells its own way.
 */
export function headerValue(
  headers: Headers | Readonly<Record<string, string>> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : headers[key];
}
