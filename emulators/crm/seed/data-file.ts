import { readFileSync } from 'node:fs';
import { Tokenizer, TokenParser } from '@streamparser/json';
import type { ErrorObject } from 'ajv';
import { CrmsyncError } from '../../../core/index.js';
import { contactInputSchema, partnerSchema } from '../api/contact-schema.js';
import { compileSchema, contactRuleViolation } from '../api/validation.js';
import { type CrmStore, toDoc } from '../store/crm-store.js';
import type { ContactDoc, ContactInput, PartnerDoc } from '../store/documents.js';

/**
 * The reference CRM's data from a file (`CRM_DATA`), instead of generated demo data:
 * `{ "partners": [...], "contacts": [...] }` in the records' API format, ids kept. What the
 * server owns may be left out: versions start at 1, timestamps at the time of loading. Photos
 * are not part of the file, so no contact has one.
 */
export interface CrmData {
  partners: PartnerDoc[];
  contacts: ContactDoc[];
}

const partnerFileSchema = {
  ...partnerSchema,
  additionalProperties: false,
  required: ['id', 'name'],
  properties: {
    ...partnerSchema.properties,
    id: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
  },
};

const contactFileSchema = {
  ...contactInputSchema,
  required: ['id', 'partnerId', 'lastName'],
  properties: {
    ...contactInputSchema.properties,
    id: { type: 'string', minLength: 1 },
    version: { type: 'integer', minimum: 1 },
  },
};

const dataFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['partners', 'contacts'],
  properties: {
    partners: { type: 'array', items: partnerFileSchema },
    contacts: { type: 'array', items: contactFileSchema },
  },
};

// Compiled on first use: a CRM started without a data file does not carry it.
let validateDataFile: ReturnType<typeof compileSchema> | undefined;

/** The pointer goes in the location; the message names the value by its last step. */
function invalid(file: string, pointer: string, what: string): CrmsyncError {
  const name = pointer.split('/').at(-1);
  const subject = !name ? 'the document' : /^\d+$/.test(name) ? `item ${name}` : `"${name}"`;
  return new CrmsyncError('CRMSYNC_ERR_CRM_DATA_INVALID', `${subject} ${what}; nothing is loaded`, {
    file,
    pointer,
  });
}

/** Reads and checks the whole file; throws `CRMSYNC_ERR_CRM_DATA_INVALID` naming the file and the JSON pointer. */
export function readCrmData(file: string, now: string): CrmData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CrmsyncError(
      'CRMSYNC_ERR_CRM_DATA_INVALID',
      `the CRM data file cannot be read: ${(error as Error).message}`,
      { file },
    );
  }
  const document = parseJson(text, file);
  validateDataFile ??= compileSchema(dataFileSchema);
  if (!validateDataFile(document)) {
    const { pointer, what } = describe(validateDataFile.errors![0]!);
    throw invalid(file, pointer, what);
  }
  const { partners, contacts } = document as { partners: PartnerDoc[]; contacts: ContactInput[] };

  const partnerAt = new Map<string, number>();
  partners.forEach((partner, index) => {
    const first = partnerAt.get(partner.id);
    if (first !== undefined)
      throw invalid(file, `/partners/${index}/id`, `repeats the id "${partner.id}" of /partners/${first}`);
    partnerAt.set(partner.id, index);
  });
  const contactAt = new Map<string, number>();
  contacts.forEach((contact, index) => {
    const id = contact.id as string;
    const first = contactAt.get(id);
    if (first !== undefined)
      throw invalid(file, `/contacts/${index}/id`, `repeats the id "${id}" of /contacts/${first}`);
    contactAt.set(id, index);
    if (!partnerAt.has(contact.partnerId)) {
      throw invalid(
        file,
        `/contacts/${index}/partnerId`,
        `names the business partner "${contact.partnerId}", which is not in /partners`,
      );
    }
    const violation = contactRuleViolation(contact);
    if (violation) throw invalid(file, `/contacts/${index}/${violation.path.join('/')}`, violation.message);
  });

  return {
    partners: partners.map((partner) => ({
      ...partner,
      emailDomains: partner.emailDomains ?? [],
      updatedAt: partner.updatedAt ?? now,
    })),
    contacts: contacts.map((contact) => {
      const partner = partners[partnerAt.get(contact.partnerId)!]!;
      const createdAt = contact.createdAt ?? now;
      return toDoc(contact, {
        id: contact.id as string,
        version: contact.version ?? 1,
        createdAt,
        updatedAt: contact.updatedAt ?? createdAt,
        hasPhoto: false,
        partnerName: partner.name,
      });
    }),
  };
}

/** All partners and contacts in one transaction: a failure leaves the database as it was. */
export function loadCrmData(store: CrmStore, data: CrmData): void {
  store.db.transaction(() => {
    store.insertPartners(data.partners);
    store.insertContacts(data.contacts);
  })();
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message.replace(/\s*\(line \d+ column \d+\)$/, '');
    const before = Buffer.from(text).subarray(0, syntaxErrorOffset(text)).toString().split('\n');
    const column = (before.at(-1)?.length ?? 0) + 1;
    throw new CrmsyncError(
      'CRMSYNC_ERR_CRM_DATA_INVALID',
      `the file is not JSON (column ${column}: ${message}); nothing is loaded`,
      { file, line: before.length },
    );
  }
}

/**
 * Where the JSON breaks, in bytes: not every Node.js version says so in JSON.parse's message,
 * so the text is read again, token by token, by a parser that does.
 */
function syntaxErrorOffset(text: string): number {
  const tokenizer = new Tokenizer();
  const parser = new TokenParser();
  parser.onValue = () => undefined;
  let lastToken = 0;
  tokenizer.onToken = (token) => {
    lastToken = token.offset;
    parser.write(token);
  };
  try {
    tokenizer.write(text);
    tokenizer.end();
  } catch (error) {
    // A character the tokenizer cannot place says where it is; a token out of place is the last one.
    const at = /absolute position "(\d+)"/.exec((error as Error).message)?.[1];
    return at === undefined ? lastToken : Number(at);
  }
  return text.length;
}

function describe(error: ErrorObject): { pointer: string; what: string } {
  const params = error.params as Record<string, unknown>;
  const record = error.instancePath.startsWith('/partners/') ? 'a business partner' : 'a contact person';
  if (error.keyword === 'required')
    return { pointer: `${error.instancePath}/${String(params.missingProperty)}`, what: 'is missing' };
  if (error.keyword === 'additionalProperties') {
    const pointer = `${error.instancePath}/${String(params.additionalProperty)}`;
    return { pointer, what: error.instancePath ? `is not a field of ${record}` : 'is not known here' };
  }
  if (error.keyword === 'format' && params.format === 'email')
    return { pointer: error.instancePath, what: 'is not an e-mail address' };
  if (error.keyword === 'pattern' && error.instancePath.endsWith('/birthday'))
    return { pointer: error.instancePath, what: 'must be a date YYYY-MM-DD' };
  return { pointer: error.instancePath, what: error.message ?? 'is invalid' };
}
