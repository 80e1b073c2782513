import type { FastifyInstance } from 'fastify';
import { hostConfigSchema, readSchema } from '../../../core/index.js';

/** The JSON Schemas editors use to complete plugin.json and crmsync.json. */
export async function schemaRoutes(app: FastifyInstance): Promise<void> {
  const schemas: Record<string, unknown> = {
    'plugin-manifest': readSchema('plugin-manifest.schema.json'),
    'contribution-points': readSchema('contribution-points.schema.json'),
    'host-config': hostConfigSchema,
  };
  app.get<{ Params: { name: string } }>('/schemas/:name', async (request, reply) => {
    const name = request.params.name.replace(/\.schema\.json$|\.json$/, '');
    const schema = schemas[name];
    if (!schema)
      return reply.status(404).send({
        code: 'CRMSYNC_ERR_SCHEMA_UNKNOWN',
        message: `no schema "${name}"; try ${Object.keys(schemas).join(', ')}`,
      });
    return schema;
  });
}
