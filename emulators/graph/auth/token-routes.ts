import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { assertionProblem } from './client-assertion.js';
import type { TokenService } from './token-service.js';

/**
 * The Microsoft identity platform's side of the client-credentials flow: the OpenID
 * configuration MSAL reads first, and the token endpoint with Entra's error bodies.
 */
export function registerTokenRoutes(app: FastifyInstance, tokens: TokenService, origin: () => string): void {
  const { tenantId } = tokens.app;
  app.get('/:tenant/v2.0/.well-known/openid-configuration', async (request, reply) => {
    const { tenant } = request.params as { tenant: string };
    if (tenant !== tenantId && tenant !== 'organizations')
      return reply
        .code(400)
        .send(tokenError('invalid_tenant', `AADSTS90002: Tenant '${tenant}' not found.`, 90002));
    const base = `${origin()}/${tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      issuer: `${base}/v2.0`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      tenant_region_scope: 'EU',
    };
  });

  app.post('/:tenant/oauth2/v2.0/token', async (request, reply) => {
    const { tenant } = request.params as { tenant: string };
    const form = (request.body ?? {}) as Record<string, string>;
    if (tenant !== tenantId)
      return reply
        .code(400)
        .send(tokenError('invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`, 90002));
    if (form.grant_type !== 'client_credentials')
      return reply
        .code(400)
        .send(
          tokenError(
            'unsupported_grant_type',
            'AADSTS70003: The app requested an unsupported grant type.',
            70003,
          ),
        );
    if (form.client_id !== tokens.app.clientId)
      return reply
        .code(400)
        .send(
          tokenError(
            'unauthorized_client',
            `AADSTS700016: Application with identifier '${form.client_id}' was not found in the directory.`,
            700016,
          ),
        );
    if (form.client_assertion !== undefined) {
      const problem =
        form.client_assertion_type === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
          ? assertionProblem(
              form.client_assertion,
              tokens.app.certificate,
              form.client_id,
              `${origin()}/${tenantId}/oauth2/v2.0/token`,
            )
          : 'AADSTS700025: The client assertion type is not supported.';
      if (problem)
        return reply
          .code(401)
          .send(tokenError('invalid_client', problem, Number(problem.slice(5, problem.indexOf(':')))));
    } else if (form.client_secret !== tokens.app.clientSecret)
      return reply
        .code(401)
        .send(
          tokenError(
            'invalid_client',
            `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${form.client_id}'.`,
            7000215,
          ),
        );
    if (!/^https:\/\/graph\.microsoft\.com\/\.default$/i.test(form.scope ?? ''))
      return reply
        .code(400)
        .send(
          tokenError(
            'invalid_scope',
            `AADSTS1002012: The provided value for scope ${form.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
            1002012,
          ),
        );
    const { token, expiresIn } = tokens.issue(form.client_id);
    return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token };
  });
}

function tokenError(error: string, description: string, code: number) {
  return {
    error,
    error_description: `${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  };
}
