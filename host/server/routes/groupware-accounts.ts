import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../core/index.js';
import { errorAnswers } from './api-schemas.js';

const accountSchema = {
  type: 'object',
  required: ['id', 'connector', 'accountKey', 'default', 'fallback', 'health'],
  properties: {
    id: { type: 'string', description: 'What plans, sync runs and the contact toggle take as `account`' },
    connector: { type: 'string' },
    accountKey: { type: 'string', description: 'The mailbox and folder, or the vCard folder' },
    default: { type: 'boolean', description: 'Used where a request names no account' },
    fallback: {
      type: 'boolean',
      description:
        'An account of the fallback connector, for exports and imports while the configured groupware is out of reach',
    },
    health: {
      type: 'object',
      required: ['ok', 'detail'],
      properties: { ok: { type: 'boolean' }, detail: { type: 'string' } },
    },
  },
} as const;

/** The groupware accounts requests can name: every mailbox or folder configured, the default first. */
export async function groupwareAccountRoutes(
  app: FastifyInstance,
  options: { services: Services },
): Promise<void> {
  app.get(
    '/groupware/accounts',
    {
      schema: {
        summary: 'The groupware accounts (mailboxes, folders), the default first, each with its health',
        response: {
          200: {
            type: 'object',
            required: ['accounts'],
            properties: { accounts: { type: 'array', items: accountSchema } },
          },
          ...errorAnswers,
        },
      },
    },
    async () => ({ accounts: await options.services.accounts.list() }),
  );
}
