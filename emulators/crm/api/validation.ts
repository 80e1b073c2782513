import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { toE164 } from '../../../core/index.js';
import type { ContactInput } from '../store/documents.js';
import { contactInputSchema } from './contact-schema.js';

/** A 400 answer: which field is wrong and why, in words a client developer can act on. */
export class ValidationFailure extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const ajv = new Ajv({ allErrors: false, strict: false });
(addFormats as unknown as (ajv: Ajv) => void)(ajv);
const validateContact = ajv.compile(contactInputSchema);

/** A validator on the reference CRM's one Ajv set-up (its formats included). */
export function compileSchema(schema: object) {
  return ajv.compile(schema);
}

/** `/emails/0/address` → `emails[0].address` */
function fieldOf(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

function describe(error: ErrorObject): ValidationFailure {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const field = fieldOf(`${error.instancePath}/${String(params.missingProperty)}`);
    return new ValidationFailure(field, 'is required');
  }
  if (error.keyword === 'additionalProperties') {
    const field = fieldOf(`${error.instancePath}/${String(params.additionalProperty)}`);
    return new ValidationFailure(field, 'is not a field of a contact person');
  }
  const field = fieldOf(error.instancePath) || '(body)';
  if (error.keyword === 'format' && params.format === 'email')
    return new ValidationFailure(field, 'is not an e-mail address');
  if (error.keyword === 'pattern' && field === 'birthday')
    return new ValidationFailure(field, 'must be a date YYYY-MM-DD');
  return new ValidationFailure(field, error.message ?? 'is invalid');
}

/**
 * Whether `YYYY-MM-DD` names a real day: Date.parse rolls 2023-02-30 over into March, so the
 * parts are compared after the round trip.
 */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A rule of a contact that its schema cannot say, broken: where (as path segments) and how. */
export interface RuleViolation {
  path: string[];
  message: string;
}

/** The rules a schema cannot say: phone numbers that can be read, birthdays of the calendar. */
export function contactRuleViolation(input: ContactInput): RuleViolation | undefined {
  for (const [slot, number] of Object.entries(input.phones ?? {})) {
    if (typeof number === 'string' && number.trim() && !toE164(number)) {
      return { path: ['phones', slot], message: `"${number}" is not a phone number` };
    }
  }
  if (input.birthday && !isCalendarDate(input.birthday)) {
    return { path: ['birthday'], message: `${input.birthday} is not a date of the calendar` };
  }
  return undefined;
}

/** Checks a create or update body; throws a ValidationFailure naming the first bad field. */
export function validateContactInput(body: unknown): ContactInput {
  if (!validateContact(body)) throw describe(validateContact.errors![0]!);
  const input = body as ContactInput;
  const violation = contactRuleViolation(input);
  if (violation) throw new ValidationFailure(violation.path.join('.'), violation.message);
  return input;
}
