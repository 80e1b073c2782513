/** A field's value as a person reads it in a conflict: e-mails by address, phones by number, addresses in one line. */
export function formatValue(value: unknown, none: string): string {
  if (value === undefined || value === null || value === '') return none;
  if (Array.isArray(value))
    return value.length === 0 ? none : value.map((entry) => formatValue(entry, none)).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.address === 'string') return record.address;
    if (typeof record.number === 'string') return record.number;
    if ('street' in record || 'city' in record)
      return [record.street, [record.postalCode, record.city].filter(Boolean).join(' ')]
        .filter(Boolean)
        .join(', ');
    if (typeof record.hash === 'string')
      return `${String(record.mediaType ?? '')} ${record.hash.slice(0, 8)}`;
    return JSON.stringify(value);
  }
  return String(value);
}
