import { CrmsyncError } from '../../domain/errors.js';
import { noteEnvValue } from './redact.js';

const reference = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${env:NAME}` in every string of a configuration document, so secrets live in the
 * environment and never in the repository. A variable that is not set is an error naming it
 * and where it is used; an empty one counts as set. `${env:NAME:-fallback}` uses the fallback
 * when the variable is not set (for values that have a harmless default, such as a local
 * demo key).
 */
export function resolveEnvReferences(
  value: unknown,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  pointer = '',
): unknown {
  if (typeof value === 'string') {
    return value.replace(reference, (_match, name: string, fallback: string | undefined) => {
      const fromEnv = env[name];
      if (fromEnv !== undefined) noteEnvValue(name, fromEnv);
      const resolved = fromEnv ?? fallback;
      if (resolved === undefined) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_CONFIG_ENV_MISSING',
          `environment variable ${name} is not set, but the configuration refers to it`,
          { file, pointer },
        );
      }
      return resolved;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => resolveEnvReferences(item, file, env, `${pointer}/${index}`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        resolveEnvReferences(item, file, env, `${pointer}/${escapePointer(key)}`),
      ]),
    );
  }
  return value;
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
