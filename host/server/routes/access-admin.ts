import type { FastifyInstance } from 'fastify';
import { type AccessService, CrmsyncError, type UserRole } from '../../../core/index.js';
import type { OpenHost } from '../access/open-host.js';
import {
  accessErrorAnswers,
  idParams,
  newTokenAnswerSchema,
  newTokenSchema,
  newUserSchema,
  tokenSchema,
  userChangeSchema,
  userSchema,
} from './access-schemas.js';

export interface AccessAdminRouteOptions {
  access: AccessService;
  openHost: OpenHost;
}

/**
 * Administration of who may use the API (administrators only): users with their role,
 * password and groupware account, and bearer tokens for API clients, whose secret is shown
 * once when it is created and never again.
 */
export async function accessAdminRoutes(
  app: FastifyInstance,
  options: AccessAdminRouteOptions,
): Promise<void> {
  const { access, openHost } = options;

  app.get(
    '/users',
    {
      schema: {
        summary: 'The users, by login',
        response: {
          200: {
            type: 'object',
            required: ['users'],
            properties: { users: { type: 'array', items: userSchema } },
          },
        },
      },
    },
    async () => ({ users: await access.listUsers() }),
  );

  app.post<{ Body: { login: string; password: string; role?: UserRole; account?: string | null } }>(
    '/users',
    {
      schema: {
        summary: 'Create a user (the first one must be an administrator)',
        body: newUserSchema,
        response: { 201: userSchema, ...accessErrorAnswers },
      },
    },
    async (request, reply) => {
      const user = await access.createUser(request.body);
      openHost.userCreated();
      return reply.status(201).header('location', `/api/v1/users/${user.id}`).send(user);
    },
  );

  app.patch<{
    Params: { id: string };
    Body: { role?: UserRole; password?: string; account?: string | null };
  }>(
    '/users/:id',
    {
      schema: {
        summary: "Change a user's role, password or account",
        params: idParams,
        body: userChangeSchema,
        response: { 200: userSchema, ...accessErrorAnswers },
      },
    },
    async (request) => access.updateUser(request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    '/users/:id',
    {
      schema: {
        summary: 'Delete a user with their sessions and tokens',
        params: idParams,
        response: { 204: { type: 'null' }, ...accessErrorAnswers },
      },
    },
    async (request, reply) => {
      await access.removeUser(request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/tokens',
    {
      schema: {
        summary: 'The API tokens, newest first, without their secrets',
        response: {
          200: {
            type: 'object',
            required: ['tokens'],
            properties: { tokens: { type: 'array', items: tokenSchema } },
          },
        },
      },
    },
    async () => ({ tokens: await access.listTokens() }),
  );

  app.post<{ Body: { name: string; userId?: string; expiresAt?: number } }>(
    '/tokens',
    {
      schema: {
        summary: 'Create an API token: its secret is in this answer only',
        body: newTokenSchema,
        response: { 201: newTokenAnswerSchema, ...accessErrorAnswers },
      },
    },
    async (request, reply) => {
      const { name, expiresAt } = request.body;
      const userId = request.body.userId ?? request.principal?.ownerId;
      if (userId === undefined)
        throw new CrmsyncError(
          'CRMSYNC_ERR_REQUEST_INVALID',
          'name the user the token acts as in userId: this request is not signed in as a user',
          { field: 'body/userId' },
        );
      const created = await access.createToken({
        name,
        userId,
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      });
      return reply.status(201).header('location', `/api/v1/tokens/${created.id}`).send(created);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/tokens/:id',
    {
      schema: {
        summary: 'Revoke an API token',
        params: idParams,
        response: { 200: tokenSchema, ...accessErrorAnswers },
      },
    },
    async (request) => access.revokeToken(request.params.id),
  );
}
