import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GroupwareAccounts } from '../../../core/index.js';
import { accountOfRequest } from '../access/account-of-request.js';
import type { ContactSyncToggle } from '../contact-sync-toggle.js';
import { accountQuerySchema, errorAnswers } from './api-schemas.js';

const params = {
  type: 'object',
  required: ['crmId'],
  properties: { crmId: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

const statusSchema = {
  type: 'object',
  required: ['crmId', 'synchronised', 'accountId'],
  properties: {
    crmId: { type: 'string' },
    synchronised: { type: 'boolean' },
    syncFlag: { type: 'boolean' },
    groupwareId: { type: 'string' },
    accountId: { type: 'string' },
  },
} as const;

/**
 * The contact toggle (S2) on `/crm/contacts/:crmId/sync?account=`: GET reads whether the
 * contact is synchronised with the account (the default one unless named), PUT adds it to
 * the account, DELETE removes it from there. Each answers the contact's state afterwards;
 * repeating one changes nothing.
 */
export async function contactSyncRoutes(
  app: FastifyInstance,
  options: { toggle: ContactSyncToggle; accounts: GroupwareAccounts },
): Promise<void> {
  const { toggle, accounts } = options;
  const account = (request: FastifyRequest<Request>) =>
    accountOfRequest(request, accounts, request.query.account);
  const schema = {
    params,
    querystring: accountQuerySchema,
    response: { 200: statusSchema, ...errorAnswers },
  };
  type Request = { Params: { crmId: string }; Querystring: { account?: string } };
  app.get<Request>(
    '/crm/contacts/:crmId/sync',
    { schema: { ...schema, summary: 'Whether a CRM contact is synchronised (S2)' } },
    async (request) => toggle.status(request.params.crmId, await account(request)),
  );
  app.put<Request>(
    '/crm/contacts/:crmId/sync',
    { schema: { ...schema, summary: 'Add a CRM contact to the groupware (S2)' } },
    async (request) => toggle.add(request.params.crmId, await account(request)),
  );
  app.delete<Request>(
    '/crm/contacts/:crmId/sync',
    { schema: { ...schema, summary: 'Remove a CRM contact from the groupware (S2)' } },
    async (request) => toggle.remove(request.params.crmId, await account(request)),
  );
}
