import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

/**
 * One ajv set-up for every schema crmsync checks: manifests, contribution points, host and
 * plugin configuration. `secret` marks values to redact; `useDefaults` fills in what a
 * configuration file leaves out.
 */
export function createAjv(options: { strictSchema?: boolean; coerceTypes?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    strict: 'log',
    allowUnionTypes: true,
    logger: false,
    ...options,
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'secret', schemaType: 'boolean' });
  return ajv;
}

export function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8'));
}

export interface SchemaViolation {
  /** JSON pointer into the checked document. */
  pointer: string;
  message: string;
}

/** ajv's errors as sentences a person can act on, each with the JSON pointer it concerns. */
export function describeViolations(errors: ErrorObject[] | null | undefined): SchemaViolation[] {
  return (errors ?? []).map((error) => {
    const pointer = error.instancePath;
    switch (error.keyword) {
      case 'additionalProperties': {
        const extra = (error.params as { additionalProperty: string }).additionalProperty;
        return { pointer: `${pointer}/${extra}`, message: `unknown property "${extra}"` };
      }
      case 'required': {
        const missing = (error.params as { missingProperty: string }).missingProperty;
        return { pointer: `${pointer}/${missing}`, message: `required property "${missing}" is missing` };
      }
      case 'enum':
        return {
          pointer,
          message: `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
        };
      default:
        return { pointer, message: error.message ?? error.keyword };
    }
  });
}

export type Validator = ValidateFunction;
