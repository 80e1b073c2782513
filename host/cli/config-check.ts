import { existsSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import {
  builtinPluginDirectory,
  ConfigInvalidError,
  CrmsyncError,
  hostConfigSchema,
  loadConfigFile,
  loadHostConfig,
} from '../../core/index.js';
import { loadManifest } from '../../core/kernel/manifest.js';
import { ManifestError } from '../../core/kernel/manifest-error.js';
import { discoverManifests } from '../../core/kernel/plugin-discovery.js';
import { kernelVersion } from '../../core/kernel/version.js';

/** One thing wrong in one configuration file, with where a person finds it. */
export interface ConfigProblem {
  file: string;
  pointer?: string;
  line?: number;
  code: string;
  message: string;
}

export interface ConfigCheck {
  /** Every file read, whether or not it had problems. */
  files: string[];
  problems: ConfigProblem[];
}

/**
 * Checks every configuration file at once, and every problem in each, so that fixing a
 * configuration takes one round: crmsync.json, each plugin's manifest and each plugin's
 * settings file, plus settings files no installed plugin reads.
 */
export function checkConfiguration(configDir: string, env: NodeJS.ProcessEnv = process.env): ConfigCheck {
  const files: string[] = [];
  const problems: ConfigProblem[] = [];
  const hostFile = join(configDir, 'crmsync.json');
  files.push(hostFile);
  problems.push(...checkFile(hostFile, hostConfigSchema, env));
  let pluginDirectories = [builtinPluginDirectory];
  if (!problems.some((problem) => problem.file === hostFile)) {
    try {
      const { config } = loadHostConfig(configDir, env);
      pluginDirectories = [builtinPluginDirectory, ...config.pluginDirectories];
      config.pluginDirectories.forEach((directory, index) => {
        if (!existsSync(directory))
          problems.push({
            file: hostFile,
            pointer: `/pluginDirectories/${index}`,
            code: 'CRMSYNC_ERR_CONFIG_INVALID',
            message: `plugin directory ${directory} does not exist`,
          });
      });
    } catch (error) {
      problems.push(problemOf(error, hostFile));
    }
  }

  const pluginIds = new Set<string>();
  for (const manifestFile of discoverManifests(pluginDirectories).manifests) {
    files.push(manifestFile);
    try {
      const { manifest } = loadManifest(manifestFile, kernelVersion);
      pluginIds.add(manifest.id);
      const settingsFile = join(configDir, 'plugins', `${manifest.id}.json`);
      if (!existsSync(settingsFile)) continue;
      files.push(settingsFile);
      problems.push(
        ...checkFile(settingsFile, manifest.contributes.configuration ?? { type: 'object' }, env),
      );
    } catch (error) {
      if (error instanceof ManifestError)
        for (const violation of error.violations)
          problems.push({
            file: manifestFile,
            pointer: violation.pointer,
            code: violation.code,
            message: violation.message,
          });
      else problems.push(problemOf(error, manifestFile));
    }
  }

  const settingsDir = join(configDir, 'plugins');
  if (existsSync(settingsDir))
    for (const name of readdirSync(settingsDir)
      .filter((entry) => entry.endsWith('.json'))
      .sort()) {
      const id = basename(name, '.json');
      if (pluginIds.has(id)) continue;
      const file = join(settingsDir, name);
      files.push(file);
      problems.push({
        file,
        pointer: '',
        code: 'CRMSYNC_ERR_PLUGIN_UNKNOWN',
        message: `no installed plugin is called "${id}", so these settings are never read`,
      });
    }
  return { files: files.map((file) => (isAbsolute(file) ? file : resolve(file))), problems };
}

/** Every violation in one file, not just the first, each with its JSON pointer. */
function checkFile(file: string, schema: Record<string, unknown>, env: NodeJS.ProcessEnv): ConfigProblem[] {
  if (!existsSync(file)) return [];
  try {
    loadConfigFile(file, schema, { env });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigInvalidError)) return [problemOf(error, file)];
    return error.violations.map(({ pointer, message }) => ({
      file,
      pointer,
      code: error.code,
      message,
    }));
  }
}

function problemOf(error: unknown, file: string): ConfigProblem {
  if (error instanceof CrmsyncError)
    return {
      file: error.location.file ?? file,
      ...(error.location.pointer !== undefined ? { pointer: error.location.pointer } : {}),
      ...(error.location.line !== undefined ? { line: error.location.line } : {}),
      code: error.code,
      message: error.reason,
    };
  return { file, code: 'CRMSYNC_ERR_INTERNAL', message: (error as Error)?.message ?? String(error) };
}
