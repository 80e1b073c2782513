import type { ErrorCode } from '../domain/error-catalogue.js';
import { CrmsyncError } from '../domain/errors.js';
import type { SchemaViolation } from './json-schemas.js';

export interface ManifestViolation extends SchemaViolation {
  code: ErrorCode;
}

/**
 * Everything wrong with one plugin.json at once, so that fixing a manifest takes one round
 * rather than one per problem. The message lists each violation with its JSON pointer; the
 * location is that of the first.
 */
export class ManifestError extends CrmsyncError {
  readonly violations: ManifestViolation[];

  constructor(file: string, violations: ManifestViolation[]) {
    const [first] = violations;
    if (!first) throw new RangeError('a manifest error needs at least one violation');
    const codes = new Set(violations.map((v) => v.code));
    const code = codes.size === 1 ? first.code : 'CRMSYNC_ERR_MANIFEST_INVALID';
    const message =
      violations.length === 1
        ? first.message
        : `${violations.length} problems: ${violations.map((v) => `${v.message} (at ${v.pointer || '/'})`).join('; ')}`;
    super(code, message, { file, pointer: first.pointer });
    this.name = 'ManifestError';
    this.violations = violations;
  }
}
