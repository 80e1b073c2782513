/** What a redacted secret reads as wherever configuration is shown or logged. */
export const REDACTED = '[redacted]';

// A safety net for schemas that forgot `"secret": true`: these names never hold anything a
// person needs to read back.
const secretLookingKey =
  /(secret|password|passwd|token|api[-_]?key|access[-_]?key|private[-_]?key|^key$|credential|authorization)/i;
const secretLookingVariable = /(SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL|PASS|PW)/i;

// Values taken from secret-looking environment variables, wherever they ended up: a password
// inside a connection URL is as secret as the password field itself.
const secretValues = new Set<string>();

/** Called for every `${env:NAME}` substitution; remembers the value when NAME looks secret. */
export function noteEnvValue(name: string, value: string): void {
  if (value.length >= 4 && secretLookingVariable.test(name)) secretValues.add(value);
}

interface SchemaNode {
  secret?: boolean;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode | SchemaNode[];
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  $ref?: string;
}

/** The node with what `$ref` and the combinators bring in, so a `secret` anywhere among them counts. */
function expand(node: SchemaNode | undefined, root: SchemaNode, depth = 0): SchemaNode[] {
  if (!node || typeof node !== 'object' || depth > 16) return [];
  const nodes = [node];
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    const target = node.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (at, part) =>
          (at as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
        root,
      );
    nodes.push(...expand(target as SchemaNode, root, depth + 1));
  }
  for (const member of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
    nodes.push(...expand(member, root, depth + 1));
  }
  return nodes;
}

function maskSecretValues(text: string): string {
  let masked = text;
  for (const secret of secretValues)
    if (masked.includes(secret)) masked = masked.split(secret).join(REDACTED);
  return masked;
}

/**
 * A copy of `value` with every secret replaced: values whose schema says `"secret": true`
 * (also through `$ref`, `allOf`, `anyOf`, `oneOf`), values under keys that look like secrets,
 * and any text that contains a value taken from a secret-looking environment variable.
 */
export function redact(value: unknown, schema?: SchemaNode): unknown {
  return redactNode(value, schema ? [schema] : [], schema ?? {}, '');
}

function redactNode(value: unknown, schemas: SchemaNode[], root: SchemaNode, key: string): unknown {
  if (value === undefined || value === null) return value;
  const nodes = schemas.flatMap((schema) => expand(schema, root));
  if (nodes.some((node) => node.secret === true)) return REDACTED;
  if (key && secretLookingKey.test(key) && typeof value !== 'object') return REDACTED;
  if (typeof value === 'string') return maskSecretValues(value);
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      redactNode(
        item,
        nodes.flatMap((node) => (Array.isArray(node.items) ? (node.items[index] ?? []) : (node.items ?? []))),
        root,
        '',
      ),
    );
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => {
        const children = nodes.flatMap((node) => {
          const child =
            node.properties?.[name] ??
            (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
          return child ? [child] : [];
        });
        return [name, redactNode(item, children, root, name)];
      }),
    );
  }
  return value;
}

/** A URL as it may be shown or logged: user name and password replaced. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = REDACTED;
    parsed.password = '';
    return parsed.href;
  } catch {
    return textWithoutCredentials(url);
  }
}

// scheme://user:password@ or scheme://user@ anywhere in a text (an error message, a health detail).
const urlCredentials = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*(?::[^\s@]*)?@/gi;

/** A text with the credentials of every URL in it replaced, so a message can be shown or logged. */
export function textWithoutCredentials(text: string): string {
  return text.replace(urlCredentials, `$1${REDACTED}@`);
}
