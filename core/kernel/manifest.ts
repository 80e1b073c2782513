import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import semver from 'semver';
import type { ErrorCode } from '../domain/error-catalogue.js';
import { CrmsyncError } from '../domain/errors.js';
import { activationEventPrefixes, type ContributionPoint } from './contribution-points.js';
import { createAjv, describeViolations, type SchemaViolation } from './json-schemas.js';
import { ManifestError, type ManifestViolation } from './manifest-error.js';
import { contributionPointsSchema, pluginManifestSchema } from './manifest-schemas.js';

export interface ContributionDescriptor {
  id: string;
  displayName: string;
  description?: string;
  [more: string]: unknown;
}

export type Contributes = { [P in ContributionPoint]?: ContributionDescriptor[] } & {
  configuration?: Record<string, unknown>;
};

export interface PluginManifest {
  id: string;
  version: string;
  displayName: string;
  description?: string;
  engines: { crmsync: string };
  main: string;
  dependsOn: string[];
  activationEvents: string[];
  contributes: Contributes;
}

/** A manifest that has been read from disk, with where it came from. */
export interface LocatedManifest {
  file: string;
  dir: string;
  manifest: PluginManifest;
  /** Absolute path of the module `main` names. */
  mainPath: string;
}

const ajv = createAjv();
ajv.addSchema(contributionPointsSchema());
const validateManifest = ajv.compile(pluginManifestSchema());

function readJson(file: string): unknown {
  // Editors on Windows like to save a byte-order mark; it is not part of the JSON.
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CrmsyncError('CRMSYNC_ERR_MANIFEST_JSON', `not valid JSON: ${(error as Error).message}`, {
      file,
      pointer: '',
    });
  }
}

/**
 * Reads and checks one plugin.json. Throws a ManifestError listing every problem found, each
 * with its JSON pointer; the kernel records it as the plugin's failure.
 */
export function loadManifest(file: string, kernelVersion: string): LocatedManifest {
  const raw = readJson(file);
  const violations: ManifestViolation[] = [];
  const add = (pointer: string, message: string, code: ErrorCode = 'CRMSYNC_ERR_MANIFEST_INVALID') =>
    violations.push({ pointer, message, code });

  if (!validateManifest(raw)) {
    for (const violation of describeViolations(validateManifest.errors))
      add(violation.pointer, clearer(violation, raw));
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ManifestError(file, violations);
  const manifest = {
    dependsOn: [],
    activationEvents: [],
    contributes: {},
    ...(raw as object),
  } as unknown as PluginManifest;

  // The checks below look only at values of the right type; the schema has reported the rest.
  if (typeof manifest.version === 'string' && !semver.valid(manifest.version)) {
    add('/version', `"${manifest.version}" is not a semantic version`);
  }
  const range = manifest.engines?.crmsync;
  if (typeof range === 'string') {
    if (!semver.validRange(range)) add('/engines/crmsync', `"${range}" is not a semver range`);
    else if (!semver.satisfies(kernelVersion, range, { includePrerelease: true })) {
      add(
        '/engines/crmsync',
        `needs crmsync ${range}, but this kernel is ${kernelVersion}`,
        'CRMSYNC_ERR_ENGINE_MISMATCH',
      );
    }
  }

  const dir = dirname(file);
  const mainPath = typeof manifest.main === 'string' ? resolve(dir, manifest.main) : '';
  if (mainPath && !isInside(dir, mainPath)) {
    add('/main', `"${manifest.main}" points outside the plugin folder ${dir}`, 'CRMSYNC_ERR_MAIN_OUTSIDE');
  }
  if (manifest.contributes && typeof manifest.contributes === 'object') {
    checkContributionIdsUnique(manifest.contributes, add);
    checkConfigurationSchema(manifest.contributes.configuration, add);
  }
  if (violations.length) throw new ManifestError(file, violations);
  return { file, dir, manifest, mainPath };
}

/** ajv's wording where a person writing a manifest would not recognise the problem in it. */
function clearer(violation: SchemaViolation, raw: unknown): string {
  const unknownPoint = /^\/contributes\/([^/]+)$/.exec(violation.pointer);
  if (unknownPoint && violation.message.startsWith('unknown property')) {
    return `unknown contribution point "${unknownPoint[1]}"`;
  }
  const event = /^\/activationEvents\/(\d+)$/.exec(violation.pointer);
  if (event && violation.message.startsWith('must match pattern')) {
    const value = (raw as { activationEvents: unknown[] }).activationEvents[Number(event[1])];
    const known = ['onStartup', '*', ...activationEventPrefixes().map((prefix) => `${prefix}:<id>`)];
    return `${JSON.stringify(value)} is not an activation event (known: ${known.join(', ')})`;
  }
  return violation.message;
}

function checkConfigurationSchema(
  configuration: unknown,
  add: (pointer: string, message: string) => void,
): void {
  if (!configuration || typeof configuration !== 'object') return;
  if ((configuration as { type?: unknown }).type !== 'object') {
    add(
      '/contributes/configuration/type',
      'a configuration schema describes a JSON object: its "type" must be "object"',
    );
    return;
  }
  try {
    createAjv({ strictSchema: true }).compile(configuration);
  } catch (error) {
    add('/contributes/configuration', `not a usable JSON Schema: ${(error as Error).message}`);
  }
}

function isInside(dir: string, path: string): boolean {
  // Resolve links so that a symlink cannot smuggle code from elsewhere into a plugin folder.
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const rel = relative(real(dir), real(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function checkContributionIdsUnique(
  contributes: Contributes,
  add: (pointer: string, message: string) => void,
): void {
  for (const [point, list] of Object.entries(contributes)) {
    if (!Array.isArray(list)) continue;
    const seen = new Set<unknown>();
    list.forEach((entry: Partial<ContributionDescriptor> | null, index) => {
      const id = entry?.id;
      if (typeof id !== 'string') return;
      if (seen.has(id)) add(`/contributes/${point}/${index}/id`, `contribution id "${id}" is declared twice`);
      seen.add(id);
    });
  }
}
