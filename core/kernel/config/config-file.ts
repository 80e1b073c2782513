import { existsSync, readFileSync } from 'node:fs';
import { CrmsyncError } from '../../domain/errors.js';
import { createAjv, describeViolations, type SchemaViolation } from '../json-schemas.js';
import { resolveEnvReferences } from './env-references.js';
import { withNestedDefaults } from './nested-defaults.js';

export interface LoadedConfig<T> {
  file: string;
  /** Validated, with `${env:…}` resolved and schema defaults applied. */
  value: T;
}

/**
 * A configuration file that breaks its schema: the message names the first violation, and
 * `violations` lists every one with its JSON pointer, so a check can report them all at once.
 */
export class ConfigInvalidError extends CrmsyncError {
  readonly violations: SchemaViolation[];

  constructor(file: string, violations: SchemaViolation[]) {
    const [first, ...rest] = violations;
    if (!first) throw new RangeError('a configuration error needs at least one violation');
    const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    super('CRMSYNC_ERR_CONFIG_INVALID', `${first.message}${more}`, { file, pointer: first.pointer });
    this.name = 'ConfigInvalidError';
    this.violations = violations;
  }
}

/** 1-based line of a character offset, so a JSON syntax error points at a line a person can find. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    throw new CrmsyncError(
      'CRMSYNC_ERR_CONFIG_INVALID',
      `not valid JSON: ${message}`,
      position ? { file, line: lineOf(text, Number(position[1])) } : { file },
    );
  }
}

/**
 * Reads one configuration file and checks it against its schema. A missing optional file
 * counts as `{}`, so a plugin that needs no settings needs no file; defaults still apply,
 * also those inside optional objects the file leaves out (see `withNestedDefaults`). This is
 * the one place defaults are applied: code reading the result never needs fallbacks.
 */
export function loadConfigFile<T>(
  file: string,
  schema: Record<string, unknown>,
  options: { optional?: boolean; env?: NodeJS.ProcessEnv } = {},
): LoadedConfig<T> {
  let raw: unknown = {};
  if (existsSync(file)) raw = parseJson(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), file);
  else if (!options.optional) {
    throw new CrmsyncError('CRMSYNC_ERR_CONFIG_MISSING', 'configuration file not found', { file });
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) delete (raw as Record<string, unknown>).$schema;
  const value = resolveEnvReferences(raw, file, options.env);
  // `${env:PORT}` can only ever give a string; let it fill a number or boolean setting.
  const validate = createAjv({ coerceTypes: true }).compile(withNestedDefaults(schema));
  if (!validate(value)) throw new ConfigInvalidError(file, describeViolations(validate.errors));
  return { file, value: value as T };
}
