import { expect } from 'chai';
import { contacts, docPayload, type GraphSession, graphSession, type Json } from './support/graph-session.js';

describe('The Graph emulator’s sign-in', () => {
  let session: GraphSession;
  before(async () => {
    session = await graphSession();
  });
  after(async () => session?.close());

  const tokenRequest = (fields: Record<string, string>) =>
    session.raw(`${session.server.origin}/${session.server.app.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  const goodFields = () => ({
    client_id: session.server.app.clientId,
    client_secret: session.server.app.clientSecret,
    scope: 'https://graph.microsoft.com/.default',
    grant_type: 'client_credentials',
  });

  it('issues a bearer token shaped like the documented client-credentials answer', async () => {
    const response = await tokenRequest(goodFields());
    expect(response.status).to.equal(200);
    const body: Json = await response.json();
    const documented = docPayload('oauth2-token-client-credentials.response.json');
    expect(body).to.include.keys(Object.keys(documented));
    expect(body.token_type).to.equal('Bearer');
    expect(body.expires_in).to.equal(3599);
  });

  it('refuses a wrong client secret with Entra’s invalid_client error', async () => {
    const response = await tokenRequest({ ...goodFields(), client_secret: 'guessed' });
    expect(response.status).to.equal(401);
    const body: Json = await response.json();
    expect(body.error).to.equal('invalid_client');
    expect(body.error_description).to.match(/^AADSTS7000215/);
    expect(body).to.include.keys('error_codes', 'timestamp', 'trace_id', 'correlation_id');
  });

  it('refuses a scope without /.default, as the client-credentials flow requires', async () => {
    const response = await tokenRequest({ ...goodFields(), scope: 'Contacts.ReadWrite' });
    expect(((await response.json()) as Json).error).to.equal('invalid_scope');
  });

  it('gets the Graph client its token through @azure/identity and reuses it for later requests', async () => {
    const before = session.server.tokens.issued;
    for (let i = 0; i < 3; i++)
      expect((await session.graph.send({ method: 'GET', url: contacts() })).status).to.equal(200);
    expect(session.server.tokens.issued - before).to.be.at.most(1);
  });

  for (const [what, authorization, message] of [
    ['without a token', undefined, 'Access token is empty.'],
    ['with a token it never issued', 'Bearer forged', 'Invalid JWT token. The token is malformed.'],
  ] as const) {
    it(`answers a request ${what} with 401 and Graph’s error body`, async () => {
      const response = await session.raw(`${session.server.url}${contacts()}`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).to.equal(401);
      const body: Json = await response.json();
      expect(body.error.code).to.equal('InvalidAuthenticationToken');
      expect(body.error.message).to.equal(message);
      expect(body.error.innerError).to.include.keys('request-id', 'date');
    });
  }

  it('answers a request with an expired token with 401', async () => {
    const token: Json = await tokenRequest(goodFields()).then((r) => r.json());
    session.server.tokens.expire(token.access_token);
    const response = await session.raw(`${session.server.url}${contacts()}`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(response.status).to.equal(401);
    expect(((await response.json()) as Json).error.message).to.equal(
      'Lifetime validation failed, the token is expired.',
    );
  });

  it('refuses /me for an app-only token, as Graph does', async () => {
    const answer = await session.graph.send({ method: 'GET', url: '/me/contacts' });
    expect(answer.status).to.equal(400);
    expect((answer.body as Json).error.message).to.equal(
      '/me request is only valid with delegated authentication flow.',
    );
  });

  it('answers a user that has no mailbox with 404 ErrorInvalidUser', async () => {
    const answer = await session.graph.send({ method: 'GET', url: contacts('nobody@contoso.example') });
    expect(answer.status).to.equal(404);
    expect((answer.body as Json).error.code).to.equal('ErrorInvalidUser');
  });
});
