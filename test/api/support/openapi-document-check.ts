import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * What makes an OpenAPI 3.1 document usable by tools, checked without the network: the
 * document's own structure (a JSON Schema written from the specification's object tables),
 * every Schema Object compiled as JSON Schema 2020-12, and the cross-references a schema
 * cannot express (path templates and their parameters, tags, security schemes, $refs).
 */

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const extensions = { '^x-': {} };

const documentStructure = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  additionalProperties: false,
  patternProperties: extensions,
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string', minLength: 1 }, version: { type: 'string', minLength: 1 } },
    },
    jsonSchemaDialect: { type: 'string' },
    servers: { type: 'array', items: { type: 'object', required: ['url'] } },
    tags: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, description: { type: 'string' } },
      },
    },
    security: { $ref: '#/$defs/security' },
    components: {
      type: 'object',
      additionalProperties: false,
      properties: {
        schemas: { type: 'object', additionalProperties: { type: ['object', 'boolean'] } },
        securitySchemes: { type: 'object', additionalProperties: { $ref: '#/$defs/securityScheme' } },
      },
    },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: { $ref: '#/$defs/pathItem' },
    },
    webhooks: { type: 'object' },
    externalDocs: { type: 'object', required: ['url'] },
  },
  $defs: {
    pathItem: {
      type: 'object',
      minProperties: 1,
      additionalProperties: false,
      patternProperties: extensions,
      properties: {
        ...Object.fromEntries(methods.map((method) => [method, { $ref: '#/$defs/operation' }])),
        summary: { type: 'string' },
        description: { type: 'string' },
        parameters: { type: 'array', items: { $ref: '#/$defs/parameter' } },
      },
    },
    operation: {
      type: 'object',
      required: ['responses'],
      additionalProperties: false,
      patternProperties: extensions,
      properties: {
        tags: { type: 'array', items: { type: 'string' } },
        summary: { type: 'string' },
        description: { type: 'string' },
        operationId: { type: 'string' },
        deprecated: { type: 'boolean' },
        parameters: { type: 'array', items: { $ref: '#/$defs/parameter' } },
        requestBody: {
          type: 'object',
          required: ['content'],
          additionalProperties: false,
          properties: {
            description: { type: 'string' },
            required: { type: 'boolean' },
            content: { $ref: '#/$defs/content' },
          },
        },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5](\\d\\d|XX)|default)$' },
          additionalProperties: { $ref: '#/$defs/response' },
        },
        security: { $ref: '#/$defs/security' },
      },
    },
    parameter: {
      type: 'object',
      required: ['name', 'in', 'schema'],
      additionalProperties: false,
      patternProperties: extensions,
      properties: {
        name: { type: 'string', minLength: 1 },
        in: { enum: ['query', 'header', 'path', 'cookie'] },
        description: { type: 'string' },
        required: { type: 'boolean' },
        deprecated: { type: 'boolean' },
        schema: { type: ['object', 'boolean'] },
        style: { type: 'string' },
        explode: { type: 'boolean' },
      },
      // A path parameter is always required.
      anyOf: [
        { properties: { in: { enum: ['query', 'header', 'cookie'] } } },
        { required: ['required'], properties: { required: { const: true } } },
      ],
    },
    content: {
      type: 'object',
      propertyNames: { pattern: '^[\\w.+*-]+/[\\w.+*-]+$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        patternProperties: extensions,
        properties: { schema: { type: ['object', 'boolean'] }, example: {}, examples: { type: 'object' } },
      },
    },
    response: {
      type: 'object',
      required: ['description'],
      additionalProperties: false,
      patternProperties: extensions,
      properties: {
        description: { type: 'string' },
        headers: { type: 'object' },
        content: { $ref: '#/$defs/content' },
        links: { type: 'object' },
      },
    },
    security: {
      type: 'array',
      items: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    },
    securityScheme: {
      type: 'object',
      required: ['type'],
      properties: { type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] } },
      anyOf: [
        { properties: { type: { not: { const: 'apiKey' } } } },
        {
          required: ['name', 'in'],
          properties: { name: { type: 'string' }, in: { enum: ['query', 'header', 'cookie'] } },
        },
      ],
    },
  },
} as const;

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked as plain JSON
type Json = any;

function schemaCompiler() {
  // Unknown keywords are refused, so a misspelt one shows; the OpenAPI vocabulary's own are known.
  const ajv = new Ajv2020({
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
  });
  addFormats.default(ajv);
  for (const keyword of ['example', 'discriminator', 'xml', 'externalDocs']) ajv.addKeyword(keyword);
  return ajv;
}

/** Every Schema Object of the document, with where it sits. */
function* schemaObjects(document: Json): Generator<[string, Json]> {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {}))
    yield [`components.schemas.${name}`, schema];
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      const where = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? [])
        yield [`${where} parameter ${parameter.name}`, parameter.schema];
      for (const [type, media] of Object.entries<Json>(operation.requestBody?.content ?? {}))
        yield [`${where} request ${type}`, media.schema];
      for (const [status, response] of Object.entries<Json>(operation.responses ?? {}))
        for (const [type, media] of Object.entries<Json>(response.content ?? {}))
          yield [`${where} ${status} ${type}`, media.schema];
    }
  }
}

function* references(value: Json): Generator<string> {
  if (Array.isArray(value)) for (const item of value) yield* references(item);
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') yield inner;
      else yield* references(inner);
    }
}

const resolves = (document: Json, ref: string): boolean => {
  if (!ref.startsWith('#/')) return false;
  let node = document;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) return false;
  }
  return true;
};

/** The document's faults, each a sentence naming where it is; none for a valid document. */
export function openApiProblems(document: Json): string[] {
  const problems: string[] = [];
  const ajv = schemaCompiler();
  const structure = ajv.compile(documentStructure);
  if (!structure(document))
    for (const error of structure.errors ?? [])
      problems.push(`document${error.instancePath}: ${error.message}`);

  for (const [where, schema] of schemaObjects(document)) {
    if (schema === undefined) continue;
    try {
      // Refs into the document are resolved by the reference check below, not by ajv.
      if ([...references(schema)].length === 0) ajv.compile(schema);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }

  const tags = new Set((document.tags ?? []).map((tag: Json) => tag.name));
  const schemes = new Set(Object.keys(document.components?.securitySchemes ?? {}));
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!).sort();
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const declared = (operation.parameters ?? [])
        .filter((parameter: Json) => parameter.in === 'path')
        .map((parameter: Json) => parameter.name)
        .sort();
      if (JSON.stringify(declared) !== JSON.stringify(templated))
        problems.push(`${where}: path parameters ${declared.join(',')} do not match the template`);
      for (const tag of operation.tags ?? [])
        if (!tags.has(tag)) problems.push(`${where}: undeclared tag ${tag}`);
      for (const requirement of operation.security ?? [])
        for (const scheme of Object.keys(requirement))
          if (!schemes.has(scheme)) problems.push(`${where}: unknown security scheme ${scheme}`);
      if (operation.operationId !== undefined) {
        if (operationIds.has(operation.operationId))
          problems.push(`${where}: operationId ${operation.operationId} is used twice`);
        operationIds.add(operation.operationId);
      }
    }
  }
  for (const ref of references(document))
    if (!resolves(document, ref)) problems.push(`$ref ${ref} points nowhere in the document`);
  return problems;
}
