import type { FastifyInstance } from 'fastify';
import { CrmsyncError, contactJsonSchema, hostConfigSchema, readSchema } from '../../../core/index.js';
import { jsonSchemaDocument, notFoundAnswer } from './admin-schemas.js';

/** The JSON Schemas editors use to complete plugin.json and crmsync.json, and clients to send contacts. */
export async function schemaRoutes(app: FastifyInstance): Promise<void> {
  const schemas = new Map<string, unknown>([
    ['plugin-manifest', readSchema('plugin-manifest.schema.json')],
    ['contribution-points', readSchema('contribution-points.schema.json')],
    ['host-config', hostConfigSchema],
    ['contact', contactJsonSchema],
  ]);
  app.get<{ Params: { name: string } }>(
    '/schemas/:name',
    {
      schema: {
        summary: 'A JSON Schema: plugin manifest, contribution points, host config or contact',
        response: { 200: jsonSchemaDocument, ...notFoundAnswer },
      },
    },
    async (request) => {
      const name = request.params.name.replace(/\.schema\.json$|\.json$/, '');
      // A Map, not an object: "__proto__" or "constructor" must not find anything.
      const schema = schemas.get(name);
      if (!schema) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_SCHEMA_UNKNOWN',
          `no schema "${name}"; try ${[...schemas.keys()].join(', ')}`,
          { field: 'name' },
        );
      }
      return schema;
    },
  );
}
