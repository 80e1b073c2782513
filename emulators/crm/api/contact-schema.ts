/**
 * JSON Schemas of the reference CRM's records: one source for request validation and for the
 * OpenAPI document, so the two cannot drift apart.
 */
const text = (maxLength: number) => ({ type: 'string', maxLength });

export const addressSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { street: text(120), postalCode: text(12), city: text(80), country: text(2) },
} as const;

export const contactInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['partnerId', 'lastName'],
  properties: {
    id: { type: 'string', description: 'Ignored on input; the server owns ids.' },
    partnerId: { type: 'string', minLength: 1, description: 'The business partner (Geschäftspartner).' },
    partnerName: { type: 'string', readOnly: true },
    salutationCode: { type: 'string', enum: ['H', 'F', 'D'], description: 'H = Herr, F = Frau, D = divers' },
    title: text(40),
    firstName: text(80),
    lastName: { type: 'string', minLength: 1, maxLength: 80 },
    jobTitle: text(120),
    department: text(120),
    emails: {
      type: 'array',
      maxItems: 5,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['address'],
        properties: {
          address: { type: 'string', format: 'email', maxLength: 254 },
          kind: { type: 'string', enum: ['work', 'private', 'other'] },
          primary: { type: 'boolean' },
        },
      },
    },
    phones: {
      type: 'object',
      additionalProperties: false,
      properties: { business: text(40), mobile: text(40), home: text(40), fax: text(40) },
    },
    address: addressSchema,
    homeAddress: { ...addressSchema, description: "The person's private address." },
    birthday: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    notes: text(4000),
    website: { type: 'string', maxLength: 300, description: "The person's own web page." },
    groupwareSync: { type: 'boolean', description: 'Synchronised with the groupware (Outlook).' },
    hasPhoto: { type: 'boolean', readOnly: true },
    version: { type: 'integer', description: 'On update: the version the change is based on.' },
    createdAt: { type: 'string', readOnly: true },
    updatedAt: { type: 'string', readOnly: true },
  },
} as const;

export const contactSchema = {
  ...contactInputSchema,
  required: ['id', 'partnerId', 'lastName', 'emails', 'phones', 'groupwareSync', 'hasPhoto', 'version'],
} as const;

export const partnerSchema = {
  type: 'object',
  required: ['id', 'name', 'emailDomains', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    legalForm: { type: 'string' },
    emailDomains: { type: 'array', items: { type: 'string' } },
    website: { type: 'string' },
    phone: { type: 'string' },
    address: addressSchema,
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;
