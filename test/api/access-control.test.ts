import { expect } from 'chai';
import { ApiClient, passwordOf as password, sessionCookieOf, signedInClient } from './support/api-client.js';
import { ApiWorld } from './support/api-world.js';

describe('Access to the API over a real socket', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let url: string;
  let admin: ApiClient;
  const ids: Record<string, string> = {};
  /** The host's one groupware account (a vCard folder), the one ben and carla are bound to. */
  let accountId: string;

  const signedIn = (login: string) => signedInClient(url, login);
  const tokenFor = async (login: string, extra: Record<string, unknown> = {}) => {
    const created = await admin.call('POST', '/tokens', {
      name: `${login}'s script`,
      userId: ids[login],
      ...extra,
    });
    expect(created.status, created.text).to.equal(201);
    return created.json();
  };

  /** The administrator anna (the first user) and the users ben and carla, each with a mailbox. */
  const ensureUsers = async () => {
    if (admin) return;
    if (!ids.anna) {
      const created = await new ApiClient(url).call('POST', '/users', {
        login: 'anna',
        password: password('anna'),
        role: 'admin',
      });
      ids.anna = created.json().id;
    }
    admin = await signedIn('anna');
    accountId = (await admin.get('/groupware/accounts')).json().accounts[0].id;
    for (const login of ['ben', 'carla']) {
      const user = await admin.call('POST', '/users', {
        login,
        password: password(login),
        account: accountId,
      });
      expect(user.status, user.text).to.equal(201);
      ids[login] = user.json().id;
    }
  };

  before(async () => {
    api = await ApiWorld.open();
    url = api.host.url;
    api.world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH', emailDomains: ['mueller-soehne.de'] });
    for (const [firstName, lastName] of [
      ['Anna-Lena', 'Weiß'],
      ['Jonas', 'Becker'],
    ])
      api.world.addCrmContact({ partnerId: 'GP-0001', firstName, lastName });
  });
  after(async () => api?.close());

  describe('on a host without users, listening on loopback', () => {
    it('serves everyone as the local administrator without sign-in, writes without a CSRF token', async () => {
      const open = new ApiClient(url);
      const session = await open.get('/session');
      expect(session.status).to.equal(200);
      expect(session.json()).to.deep.include({
        user: { id: 'local', login: 'local', role: 'admin', account: null },
        mode: 'open',
      });
      expect(session.json().csrfToken).to.be.a('string');
      const created = await open.call('POST', '/export-plans', { criteria: { partnerId: 'GP-0001' } });
      expect(created.status, created.text).to.equal(201);
      expect(created.json().plan).not.to.have.property('ownerId');
    });

    it('is not open to a request that names another host or came through a proxy', async () => {
      const port = new URL(url).port;
      const proxied = new ApiClient(url);
      const forwarded = await proxied.call('GET', '/session', undefined, {
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      expect(forwarded.status).to.equal(401);
      const named = await proxied.call('GET', '/session', undefined, {
        headers: { host: `localhost.:${port}` },
      });
      expect(named.status).to.equal(403, 'a name that is not its own is refused before anything else');
    });

    it('wants an administrator first, and needs sign-in from the moment one exists', async () => {
      const open = new ApiClient(url);
      const first = await open.call('POST', '/users', { login: 'ben', password: password('ben') });
      expect(first.status).to.equal(409);
      expect(first.json()).to.include({ code: 'CRMSYNC_ERR_ADMIN_REQUIRED' });
      const created = await open.call('POST', '/users', {
        login: 'Anna',
        password: password('anna'),
        role: 'admin',
      });
      expect(created.status, created.text).to.equal(201);
      expect(created.json()).to.include({ login: 'anna', role: 'admin', account: null });
      expect(created.headers.location).to.equal(`/api/v1/users/${created.json().id}`);
      ids.anna = created.json().id;

      const now = await open.get('/session');
      expect(now.status).to.equal(401);
      expect(now.json()).to.include({ code: 'CRMSYNC_ERR_UNAUTHENTICATED' });
      expect(now.headers['www-authenticate']).to.equal('Bearer realm="crmsync"');
      expect((await open.call('POST', '/export-plans', {})).status).to.equal(401);

      await ensureUsers();
    });
  });

  describe('signing in and out', () => {
    before(ensureUsers);

    it('signs in with login and password, setting an HttpOnly, SameSite=Lax session cookie', async () => {
      const client = new ApiClient(url);
      const wrong = await client.signIn('ben', 'not-bens-password');
      expect(wrong.status).to.equal(401);
      expect(wrong.json()).to.include({
        code: 'CRMSYNC_ERR_UNAUTHENTICATED',
        message: 'the login or the password is wrong (field login)',
      });
      const nobody = await client.signIn('nobody', 'whatever-password');
      expect(nobody.json().message, 'an unknown login reads as a wrong password').to.equal(
        wrong.json().message,
      );

      const answer = await client.signIn('BEN', password('ben'));
      expect(answer.status).to.equal(200);
      expect(answer.json()).to.deep.include({
        user: { id: ids.ben, login: 'ben', role: 'user', account: accountId },
        mode: 'session',
      });
      const setCookie = String([answer.headers['set-cookie']].flat()[0]);
      expect(setCookie).to.match(/^crmsync_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(setCookie, 'not Secure over plain http on loopback').not.to.contain('Secure');
      const session = await client.get('/session');
      expect(session.json()).to.deep.equal(answer.json());
    });

    it("does not take a client's word for https: X-Forwarded-Proto counts only from a trusted proxy", async () => {
      const answer = await new ApiClient(url).call(
        'POST',
        '/session',
        { login: 'ben', password: password('ben') },
        {
          headers: { 'x-forwarded-proto': 'https' },
        },
      );
      expect(String([answer.headers['set-cookie']].flat()[0])).not.to.contain('Secure');
    });

    it('signs out: the session ends, the cookie is cleared, and the old cookie is refused', async () => {
      const client = await signedIn('ben');
      const out = await client.call('DELETE', '/session');
      expect(out.status).to.equal(204);
      expect(String([out.headers['set-cookie']].flat()[0])).to.match(
        /^crmsync_session=; Max-Age=0; Path=\/; Expires=/,
      );
      const after = await client.get('/session');
      expect(after.status).to.equal(401);
      expect(after.json().message).to.contain('the session has ended; sign in again');
      expect(String([after.headers['set-cookie']].flat()[0]), 'a stale cookie is cleared').to.match(
        /^crmsync_session=;/,
      );
    });
  });

  describe('bearer tokens', () => {
    before(ensureUsers);

    it('refuses a request without credentials, and one with a token this host never gave out', async () => {
      const none = await new ApiClient(url).get('/sync-runs');
      expect(none.status).to.equal(401);
      expect(none.json().location).to.deep.equal({ field: 'authorization' });
      const wrong = await new ApiClient(url, 'crmsync_notATokenOfThisHostAtAll0000000000000000').get(
        '/sync-runs',
      );
      expect(wrong.status).to.equal(401);
      expect(wrong.headers['www-authenticate']).to.equal('Bearer realm="crmsync", error="invalid_token"');
      expect(wrong.json().message).to.contain('the bearer token is not one of this host');
      const basic = await new ApiClient(url).call('GET', '/sync-runs', undefined, {
        headers: { authorization: `Basic ${Buffer.from(`ben:${password('ben')}`).toString('base64')}` },
      });
      expect(basic.status).to.equal(401);
    });

    it('acts as its user until it is revoked, shows its secret once and lists it without', async () => {
      const token = await tokenFor('ben');
      expect(token.token).to.match(/^crmsync_[A-Za-z0-9_-]{43}$/);
      expect(token).to.include({ userId: ids.ben, login: 'ben', state: 'active', revokedAt: null });
      const client = new ApiClient(url, token.token);
      expect((await client.get('/session')).json()).to.deep.equal({
        user: { id: ids.ben, login: 'ben', role: 'user', account: accountId },
        mode: 'token',
      });
      const listed = (await admin.get('/tokens'))
        .json()
        .tokens.find((each: { id: string }) => each.id === token.id);
      expect(listed).not.to.have.property('token');
      expect(listed.lastUsedAt).to.be.a('number');
      expect(JSON.stringify((await admin.get('/tokens')).json())).not.to.contain(token.token);

      const revoked = await admin.call('DELETE', `/tokens/${token.id}`);
      expect(revoked.json()).to.include({ state: 'revoked' });
      const refused = await client.get('/session');
      expect(refused.status).to.equal(401);
      expect(refused.json().message).to.contain('the bearer token was revoked at');
    });

    it('stops working when it expires', async () => {
      const token = await tokenFor('ben', { expiresAt: Date.now() + 1_500 });
      const client = new ApiClient(url, token.token);
      expect((await client.get('/sync-runs')).status).to.equal(200);
      await new Promise((resolve) => setTimeout(resolve, 1_700));
      const expired = await client.get('/sync-runs');
      expect(expired.status).to.equal(401);
      expect(expired.json().message).to.contain('the bearer token expired at');
      expect(
        (await admin.call('POST', '/tokens', { name: 'past', userId: ids.ben, expiresAt: Date.now() - 1 }))
          .status,
      ).to.equal(400);
    });
  });

  describe('CSRF', () => {
    before(ensureUsers);

    it("refuses a write signed in by the cookie without the session's x-csrf-token, and takes it with it", async () => {
      const ben = await signedIn('ben');
      const body = { criteria: { partnerId: 'GP-0001' } };
      const missing = await ben.call('POST', '/export-plans', body, { csrf: false });
      expect(missing.status).to.equal(403);
      expect(missing.json()).to.deep.include({
        code: 'CRMSYNC_ERR_CSRF',
        location: { field: 'x-csrf-token' },
      });
      const carla = await signedIn('carla');
      const wrong = await ben.call('POST', '/export-plans', body, { csrf: carla.csrfToken! });
      expect(wrong.status).to.equal(403);
      expect(wrong.json().message).to.contain("not this session's");
      expect((await ben.call('POST', '/export-plans', body)).status).to.equal(201);
      expect(
        (await ben.call('DELETE', '/session', undefined, { csrf: false })).status,
        'signing out is a write too',
      ).to.equal(403);
    });

    it('needs no CSRF token with a bearer token, which no page of another site can send', async () => {
      const client = new ApiClient(url, (await tokenFor('ben')).token);
      expect(
        (await client.call('POST', '/export-plans', { criteria: { partnerId: 'GP-0001' } })).status,
      ).to.equal(201);
    });
  });

  describe('plans and runs', () => {
    before(ensureUsers);

    it("shows a user their own plans and answers another user's plan, items and job with 404", async () => {
      const ben = await signedIn('ben');
      const carla = await signedIn('carla');
      const created = await ben.call('POST', '/export-plans', { criteria: { partnerId: 'GP-0001' } });
      const plan = created.json().plan;
      expect(plan.ownerId).to.equal(ids.ben);
      expect((await ben.get(`/plans/${plan.id}`)).status).to.equal(200);
      expect((await admin.get(`/plans/${plan.id}`)).status, 'an administrator sees every plan').to.equal(200);

      const missing = await carla.get('/plans/no-such-plan');
      for (const [method, path] of [
        ['GET', `/plans/${plan.id}`],
        ['GET', `/plans/${plan.id}/items`],
        ['POST', `/plans/${plan.id}/cancel`],
        ['POST', `/plans/${plan.id}/commit`],
        ['GET', `/jobs/${plan.id}`],
      ] as const) {
        const answer = await carla.call(method, path);
        expect(answer.status, `${method} ${path}`).to.equal(404);
        expect(answer.json().code).to.equal('CRMSYNC_ERR_NOT_FOUND');
      }
      expect(
        (await carla.get(`/plans/${plan.id}`)).json().message,
        'the same answer as a plan that does not exist',
      ).to.equal(missing.json().message.replaceAll('no-such-plan', plan.id));
      expect((await ben.get(`/plans/${plan.id}`)).json().plan.status, 'nothing happened to it').to.equal(
        'draft',
      );
    });

    it("lists a user's own sync runs only, and an administrator's list has everyone's", async () => {
      const ben = new ApiClient(url, (await tokenFor('ben')).token);
      const carla = new ApiClient(url, (await tokenFor('carla')).token);
      const run = await ben.call('POST', '/sync-runs', { dryRun: true });
      expect(run.status, run.text).to.equal(201);
      const runId = run.json().plan.id;
      const runsOf = async (client: ApiClient) =>
        (await client.get('/sync-runs')).json().runs.map((each: { id: string }) => each.id);
      expect(await runsOf(ben)).to.include(runId);
      expect(await runsOf(carla)).not.to.include(runId);
      expect(await runsOf(admin)).to.include(runId);
      expect((await carla.get(`/sync-runs/${runId}`)).status).to.equal(404);
      expect((await carla.call('POST', `/sync-runs/${runId}/commit`)).status).to.equal(404);
      expect((await ben.get(`/sync-runs/${runId}`)).status).to.equal(200);
    });
  });

  describe('administration', () => {
    before(ensureUsers);

    it('refuses a user on the routes for administrators with 403', async () => {
      const ben = await signedIn('ben');
      for (const [method, path, body] of [
        ['GET', '/users'],
        ['POST', '/users', { login: 'dora', password: password('dora') }],
        ['PATCH', `/users/${ids.ben}`, { role: 'admin' }],
        ['GET', '/tokens'],
        ['POST', '/tokens', { name: 'mine' }],
        ['GET', '/plugins'],
        ['GET', '/config'],
      ] as const) {
        const answer = await ben.call(method, path, body);
        expect(answer.status, `${method} ${path}`).to.equal(403);
        expect(answer.json().code).to.equal('CRMSYNC_ERR_FORBIDDEN');
      }
      expect((await fetch(`${url}/metrics`)).status).to.equal(401);
      const ownToken = (await tokenFor('ben')).token;
      const forbidden = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ownToken}` } });
      expect(forbidden.status).to.equal(403);
      const allowed = await fetch(`${url}/metrics`, {
        headers: { cookie: sessionCookieOf(await adminSignIn()) },
      });
      expect(allowed.status).to.equal(200);
      expect((await ben.get('/connectors')).status, 'what the wizards read is for users too').to.equal(200);
    });

    const adminSignIn = () =>
      new ApiClient(url).call('POST', '/session', { login: 'anna', password: password('anna') });

    it('keeps the last administrator, and signs a user out everywhere when their password is reset', async () => {
      const demote = await admin.call('PATCH', `/users/${ids.anna}`, { role: 'user' });
      expect(demote.status).to.equal(409);
      expect(demote.json()).to.include({ code: 'CRMSYNC_ERR_ADMIN_REQUIRED' });
      expect((await admin.call('DELETE', `/users/${ids.anna}`)).status).to.equal(409);

      const ben = await signedIn('ben');
      const reset = await admin.call('PATCH', `/users/${ids.ben}`, { password: 'a-new-password-for-ben' });
      expect(reset.status).to.equal(200);
      expect((await ben.get('/session')).status).to.equal(401);
      expect((await new ApiClient(url).signIn('ben', 'a-new-password-for-ben')).status).to.equal(200);
      const rebound = await admin.call('PATCH', `/users/${ids.ben}`, {
        password: password('ben'),
        account: null,
      });
      expect(rebound.json()).to.include({ account: null });
    });

    it('deletes a user with their sessions and tokens', async () => {
      const dora = await admin.call('POST', '/users', { login: 'dora', password: password('dora') });
      ids.dora = dora.json().id;
      const session = await signedIn('dora');
      const token = new ApiClient(url, (await tokenFor('dora')).token);
      expect((await admin.call('DELETE', `/users/${ids.dora}`)).status).to.equal(204);
      expect((await session.get('/session')).status).to.equal(401);
      expect((await token.get('/session')).status).to.equal(401);
      expect(
        (await admin.get('/users')).json().users.map((user: { login: string }) => user.login),
      ).to.deep.equal(['anna', 'ben', 'carla']);
    });
  });
});
