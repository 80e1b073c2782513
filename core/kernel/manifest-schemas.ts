import {
  activationEventPrefixes,
  type ContributionPoint,
  contributionPoints,
  type JsonSchema,
} from './contribution-points.js';

/**
 * The JSON schemas of plugin.json, generated from the contribution point table. The kernel
 * validates with these; the `.schema.json` copies on disk exist for editors' `$schema` and
 * are rewritten by `npm run schemas` (a test fails while they differ).
 */

const contributionIdPattern = '^[a-z0-9][a-z0-9-]{0,63}$';

const configurationSchema: JsonSchema = {
  type: 'object',
  description:
    'A JSON Schema (draft-07) for config/plugins/<id>.json. Defaults apply, also inside nested objects the file leaves out. Mark secret values with "secret": true so they are redacted wherever configuration is shown or logged.',
};

function descriptorSchema(point: ContributionPoint): JsonSchema {
  const spec = contributionPoints[point];
  return {
    type: 'array',
    description: spec.description,
    items: {
      type: 'object',
      required: ['id', 'displayName', ...(spec.required ?? [])],
      additionalProperties: false,
      properties: {
        id: { $ref: '#/definitions/contributionId' },
        displayName: { type: 'string' },
        description: { type: 'string' },
        ...spec.properties,
      },
    },
  };
}

const points = () => Object.keys(contributionPoints) as ContributionPoint[];

export function contributionPointsSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://crmsync.dev/schemas/contribution-points.schema.json',
    title: 'crmsync contribution points',
    definitions: {
      contributionId: { type: 'string', pattern: contributionIdPattern },
      ...Object.fromEntries(points().map((point) => [point, descriptorSchema(point)])),
      configuration: configurationSchema,
    },
  };
}

/** `onStartup`, `*` and `<event>:<id>` for each event of the table. */
export function activationEventPattern(): string {
  return `^(\\*|onStartup|(${activationEventPrefixes().join('|')}):[a-z0-9][a-z0-9-]*)$`;
}

export function pluginManifestSchema(): JsonSchema {
  const events = activationEventPrefixes().map((event) => `${event}:<id>`);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://crmsync.dev/schemas/plugin-manifest.schema.json',
    title: 'crmsync plugin manifest (plugin.json)',
    type: 'object',
    required: ['id', 'version', 'displayName', 'engines', 'main'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      id: {
        type: 'string',
        pattern: contributionIdPattern,
        description:
          "Unique id: lower-case letters, digits and dashes. Names the plugin's configuration file config/plugins/<id>.json.",
      },
      version: { type: 'string', description: "The plugin's own version (semver)." },
      displayName: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      engines: {
        type: 'object',
        required: ['crmsync'],
        additionalProperties: false,
        properties: {
          crmsync: {
            type: 'string',
            description: 'Semver range of crmsync kernels the plugin works with, e.g. ^0.1.0.',
          },
        },
      },
      main: {
        type: 'string',
        description:
          'The compiled module, relative to the plugin folder; it exports `bindings` (an inversify ContainerModule) and optionally activate/deactivate.',
      },
      dependsOn: {
        type: 'array',
        items: { type: 'string' },
        uniqueItems: true,
        description: 'Ids of plugins that must be activated before this one.',
      },
      activationEvents: {
        type: 'array',
        uniqueItems: true,
        items: { type: 'string', pattern: activationEventPattern() },
        description: `When the plugin's code is loaded: onStartup, ${events.join(', ')}. A contribution's own event always activates its plugin.`,
      },
      contributes: {
        type: 'object',
        description: 'What the plugin adds, known from the manifest alone, before its code loads.',
        properties: Object.fromEntries(
          [...points(), 'configuration'].map((name) => [
            name,
            { $ref: `contribution-points.schema.json#/definitions/${name}` },
          ]),
        ),
        additionalProperties: false,
      },
    },
  };
}

/** The generated schemas by the file name they are kept under in core/kernel. */
export function manifestSchemaFiles(): Record<string, JsonSchema> {
  return {
    'contribution-points.schema.json': contributionPointsSchema(),
    'plugin-manifest.schema.json': pluginManifestSchema(),
  };
}
