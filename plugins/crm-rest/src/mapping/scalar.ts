import type { CrmValueType, FieldMapping, ScalarMapping } from '../profile/profile.js';
import { getAt, setAt } from './json-pointer.js';
import { MappingProblem } from './mapping-problem.js';

export type ModelKind = 'string' | 'boolean';

export function normaliseMapping(mapping: FieldMapping): ScalarMapping {
  return typeof mapping === 'string' ? { path: mapping } : mapping;
}

function valueKey(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Reads one value and converts it to the model's type. Absent and null are "no value";
 * a value of the wrong type, or one the value map does not know, is a MappingProblem.
 */
export function readScalar(
  record: unknown,
  raw: FieldMapping,
  field: string,
  kind: ModelKind,
): string | boolean | undefined {
  const mapping = normaliseMapping(raw);
  const value = getAt(record, mapping.path);
  if (value === undefined || value === null) return undefined;
  if (mapping.values) {
    const key = valueKey(value);
    if (!Object.hasOwn(mapping.values, key)) {
      throw new MappingProblem(
        `value ${JSON.stringify(value)} is not in the profile's value map`,
        field,
        mapping.path,
      );
    }
    const mapped = mapping.values[key];
    if (mapped === null || mapped === undefined) return undefined;
    return kind === 'boolean' ? Boolean(mapped) : String(mapped);
  }
  const expected: CrmValueType = mapping.type ?? (kind === 'boolean' ? 'boolean' : 'string');
  const actual = typeof value;
  const matches =
    (expected === 'string' && actual === 'string') ||
    (expected === 'boolean' && actual === 'boolean') ||
    (expected === 'number' && actual === 'number') ||
    (expected === 'integer' && Number.isInteger(value));
  if (!matches) {
    throw new MappingProblem(
      `expected ${expected === 'integer' ? 'an integer' : `a ${expected}`}, got ${JSON.stringify(value)}`,
      field,
      mapping.path,
    );
  }
  return kind === 'boolean' ? Boolean(value) : String(value);
}

/** Writes one model value in the CRM's type, through the value map in reverse. */
export function writeScalar(
  target: Record<string, unknown>,
  raw: FieldMapping,
  field: string,
  value: string | boolean | undefined,
): void {
  const mapping = normaliseMapping(raw);
  if (mapping.readOnly || value === undefined) return;
  if (mapping.values) {
    const key = Object.keys(mapping.values).find((candidate) => mapping.values![candidate] === value);
    if (key === undefined) {
      throw new MappingProblem(
        `${JSON.stringify(value)} has no code in the profile's value map (known: ${Object.values(
          mapping.values,
        )
          .filter((v) => v !== null)
          .join(', ')})`,
        field,
        mapping.path,
      );
    }
    setAt(target, mapping.path, fromKey(key, mapping.type));
    return;
  }
  setAt(target, mapping.path, convert(value, mapping.type, field, mapping.path));
}

function fromKey(key: string, type: CrmValueType | undefined): unknown {
  if (type === 'integer' || type === 'number') return Number(key);
  if (type === 'boolean') return key === 'true';
  return key;
}

function convert(
  value: string | boolean,
  type: CrmValueType | undefined,
  field: string,
  path: string,
): unknown {
  if (type === 'integer' || type === 'number') {
    const number = Number(value);
    if (
      typeof value !== 'string' ||
      value.trim() === '' ||
      !Number.isFinite(number) ||
      (type === 'integer' && !Number.isInteger(number))
    ) {
      throw new MappingProblem(
        `${JSON.stringify(value)} is not ${type === 'integer' ? 'an integer' : 'a number'}`,
        field,
        path,
      );
    }
    return number;
  }
  return value;
}
