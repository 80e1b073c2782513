import { errorSchema } from './api-schemas.js';

/** JSON Schemas of sign-in, users and tokens. Timestamps are epoch milliseconds, as everywhere in the API. */

const nullableTime = { type: ['number', 'null'] } as const;

export const sessionUserSchema = {
  type: 'object',
  required: ['id', 'login', 'role', 'account'],
  properties: {
    id: { type: 'string' },
    login: { type: 'string' },
    role: { type: 'string', enum: ['user', 'admin'] },
    account: { type: ['string', 'null'] },
  },
} as const;

/** Who is signed in, the token writes send in `x-csrf-token`, and how the request was signed in. */
export const sessionSchema = {
  type: 'object',
  required: ['user', 'mode'],
  properties: {
    user: sessionUserSchema,
    csrfToken: { type: 'string' },
    mode: { type: 'string', enum: ['session', 'open', 'token', 'api-key'] },
  },
} as const;

export const signInSchema = {
  type: 'object',
  required: ['login', 'password'],
  additionalProperties: false,
  properties: {
    login: { type: 'string', minLength: 1, maxLength: 200 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;

export const userSchema = {
  type: 'object',
  required: ['id', 'login', 'role', 'account', 'createdAt', 'updatedAt'],
  properties: {
    ...sessionUserSchema.properties,
    createdAt: { type: 'number' },
    updatedAt: { type: 'number' },
  },
} as const;

const role = { type: 'string', enum: ['user', 'admin'] } as const;
const account = { type: ['string', 'null'], maxLength: 320 } as const;
const password = { type: 'string', minLength: 1, maxLength: 1024 } as const;

export const newUserSchema = {
  type: 'object',
  required: ['login', 'password'],
  additionalProperties: false,
  properties: { login: { type: 'string', minLength: 1, maxLength: 200 }, password, role, account },
} as const;

export const userChangeSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { role, password, account },
} as const;

export const tokenSchema = {
  type: 'object',
  required: ['id', 'name', 'userId', 'login', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt', 'state'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    userId: { type: 'string' },
    login: { type: 'string' },
    createdAt: { type: 'number' },
    lastUsedAt: nullableTime,
    expiresAt: nullableTime,
    revokedAt: nullableTime,
    state: { type: 'string', enum: ['active', 'expired', 'revoked'] },
  },
} as const;

/** A token as it is created: the only answer that carries the secret. */
export const newTokenAnswerSchema = {
  ...tokenSchema,
  required: [...tokenSchema.required, 'token'],
  properties: { ...tokenSchema.properties, token: { type: 'string' } },
} as const;

export const newTokenSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    userId: { type: 'string', minLength: 1, maxLength: 200 },
    expiresAt: { type: 'number' },
  },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const accessErrorAnswers = { 400: errorSchema, 404: errorSchema, 409: errorSchema } as const;
