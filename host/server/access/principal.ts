import type { UserView } from '../../../core/index.js';

/** Who a request acts for, and how they proved it. */
export interface Principal {
  user: Pick<UserView, 'id' | 'login' | 'role' | 'account'>;
  /**
   * `session`: the web client's cookie; `token`: a bearer token; `api-key`: the single key of
   * `host.apiKey`; `open`: a host without users on loopback, where everyone is the local administrator.
   */
  via: 'session' | 'token' | 'api-key' | 'open';
  /** The CSRF token writes under this session must send (sessions and an open host). */
  csrfToken?: string;
  /** The user plans made by this request belong to; absent for the API key and an open host. */
  ownerId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const localAdmin: Principal['user'] = { id: 'local', login: 'local', role: 'admin', account: null };
export const apiKeyAdmin: Principal['user'] = {
  id: 'api-key',
  login: 'api-key',
  role: 'admin',
  account: null,
};
