import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import semver from 'semver';
import { CrmsyncError } from '../domain/errors.js';
import type { ErrorCode } from '../domain/error-catalogue.js';
import { createAjv, describeViolations, readSchema } from './json-schemas.js';

export interface ContributionDescriptor {
  id: string;
  displayName: string;
  description?: string;
  [more: string]: unknown;
}

export interface Contributes {
  crmConnectors?: ContributionDescriptor[];
  groupwareConnectors?: ContributionDescriptor[];
  exportOptions?: ContributionDescriptor[];
  dedupeRules?: ContributionDescriptor[];
  partnerResolvers?: ContributionDescriptor[];
  fileImporters?: ContributionDescriptor[];
  configuration?: Record<string, unknown>;
}

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
ajv.addSchema(readSchema('contribution-points.schema.json'));
const validateManifest = ajv.compile(readSchema('plugin-manifest.schema.json'));

function invalid(file: string, pointer: string, message: string, code: ErrorCode = 'CRMSYNC_ERR_MANIFEST_INVALID') {
  return new CrmsyncError(code, message, { file, pointer });
}

function readJson(file: string): unknown {
  // Editors on Windows like to save a byte-order mark; it is not part of the JSON.
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(file, '', `not valid JSON: ${(error as Error).message}`, 'CRMSYNC_ERR_MANIFEST_JSON');
  }
}

/**
 * Reads and checks one plugin.json. Throws a CrmsyncError naming the file and the JSON
 * pointer of the first problem; the kernel records it as the plugin's failure.
 */
export function loadManifest(file: string, kernelVersion: string): LocatedManifest {
  const raw = readJson(file);
  if (!validateManifest(raw)) {
    const [first, ...rest] = describeViolations(validateManifest.errors);
    const isContributionPoint =
      /^\/contributes\/[^/]+$/.test(first!.pointer) && first!.message.startsWith('unknown');
    const message = isContributionPoint
      ? `unknown contribution point "${first!.pointer.split('/')[2]}"`
      : `${first!.message}${rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : ''}`;
    throw invalid(file, first!.pointer, message);
  }
  const manifest = {
    dependsOn: [],
    activationEvents: [],
    contributes: {},
    ...(raw as object),
  } as unknown as PluginManifest;

  if (!semver.valid(manifest.version)) {
    throw invalid(file, '/version', `"${manifest.version}" is not a semantic version`);
  }
  if (!semver.validRange(manifest.engines.crmsync)) {
    throw invalid(file, '/engines/crmsync', `"${manifest.engines.crmsync}" is not a semver range`);
  }
  if (!semver.satisfies(kernelVersion, manifest.engines.crmsync, { includePrerelease: true })) {
    throw invalid(
      file,
      '/engines/crmsync',
      `needs crmsync ${manifest.engines.crmsync}, but this kernel is ${kernelVersion}`,
      'CRMSYNC_ERR_ENGINE_MISMATCH',
    );
  }

  const dir = dirname(file);
  const mainPath = resolve(dir, manifest.main);
  if (!isInside(dir, mainPath)) {
    throw invalid(
      file,
      '/main',
      `"${manifest.main}" points outside the plugin folder ${dir}`,
      'CRMSYNC_ERR_MAIN_OUTSIDE',
    );
  }

  checkContributionIdsUnique(file, manifest.contributes);
  if (manifest.contributes.configuration) {
    if (manifest.contributes.configuration.type !== 'object') {
      throw invalid(
        file,
        '/contributes/configuration/type',
        'a configuration schema describes a JSON object: its "type" must be "object"',
      );
    }
    try {
      createAjv({ strictSchema: true }).compile(manifest.contributes.configuration);
    } catch (error) {
      throw invalid(
        file,
        '/contributes/configuration',
        `not a usable JSON Schema: ${(error as Error).message}`,
      );
    }
  }
  return { file, dir, manifest, mainPath };
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

function checkContributionIdsUnique(file: string, contributes: Contributes): void {
  for (const [point, list] of Object.entries(contributes)) {
    if (!Array.isArray(list)) continue;
    const seen = new Set<string>();
    list.forEach((entry: ContributionDescriptor, index) => {
      if (seen.has(entry.id)) {
        throw invalid(
          file,
          `/contributes/${point}/${index}/id`,
          `contribution id "${entry.id}" is declared twice`,
        );
      }
      seen.add(entry.id);
    });
  }
}
