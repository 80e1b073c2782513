type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function hasDefaults(schema: Schema): boolean {
  const properties = schema.properties;
  if (!isSchema(properties)) return false;
  return Object.values(properties).some(
    (child) => isSchema(child) && (child.default !== undefined || hasDefaults(child)),
  );
}

function fill(schema: Schema): void {
  const properties = schema.properties;
  if (isSchema(properties)) {
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    for (const [name, child] of Object.entries(properties)) {
      if (!isSchema(child)) continue;
      fill(child);
      const describesObject =
        child.type === 'object' || (child.type === undefined && isSchema(child.properties));
      const needsInput = Array.isArray(child.required) && child.required.length > 0;
      if (
        describesObject &&
        child.default === undefined &&
        !required.has(name) &&
        !needsInput &&
        hasDefaults(child)
      ) {
        child.default = {};
      }
    }
  }
  if (isSchema(schema.items)) fill(schema.items);
  if (isSchema(schema.additionalProperties)) fill(schema.additionalProperties);
}

/**
 * A copy of a configuration schema in which an optional object whose properties have
 * defaults itself defaults to `{}`. JSON Schema defaults apply only inside an object that is
 * present, so without this `{ "retry": { "attempts": { "default": 3 } } }` would give a file
 * that leaves out `retry` no `retry.attempts` — and every plugin would re-apply its own
 * defaults. An object that must be given (required, or with required properties of its own)
 * is not invented.
 */
export function withNestedDefaults<T extends Schema>(schema: T): T {
  const copy = structuredClone(schema);
  fill(copy);
  return copy;
}
