/** What a redacted secret reads as wherever configuration is shown or logged. */
export const REDACTED = '[redacted]';

// A safety net for schemas that forgot `"secret": true`: these names never hold anything a
// person needs to read back.
const secretLookingKey = /(secret|password|passwd|token|api[-_]?key|credential|authorization)/i;

interface SchemaNode {
  secret?: boolean;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
}

/**
 * A copy of `value` with every secret replaced: values whose schema says `"secret": true`,
 * and values under keys that look like secrets.
 */
export function redact(value: unknown, schema: SchemaNode | undefined = undefined, key = ''): unknown {
  if (value === undefined || value === null) return value;
  if (schema?.secret || (key && secretLookingKey.test(key) && typeof value !== 'object')) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redact(item, schema?.items));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => {
        const child =
          schema?.properties?.[name] ??
          (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        return [name, redact(item, child, name)];
      }),
    );
  }
  return value;
}
