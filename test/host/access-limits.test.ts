import { expect } from 'chai';
import { CrmsyncError } from '../../core/index.js';
import { type RunningHost, startHost } from '../../host/boot.js';
import { ApiClient, sessionCookieOf } from '../api/support/api-client.js';
import { type ConfigFolder, configFolder } from './support/config-folder.js';
import { send } from './support/send.js';

const rootPassword = 'root-correct-horse-battery';
const adminEnv = { CRMSYNC_ADMIN_LOGIN: 'root', CRMSYNC_ADMIN_PASSWORD: rootPassword };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every line the host logs, to be searched for secrets. */
function logCollector() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

async function startRefusal(start: Promise<RunningHost>): Promise<CrmsyncError> {
  try {
    const host = await start;
    await host.close();
  } catch (error) {
    expect(error).to.be.instanceOf(CrmsyncError);
    return error as CrmsyncError;
  }
  throw new Error('the host started');
}

describe('Sessions, rate limits and the first administrator of a host behind a proxy', function () {
  this.timeout(60_000);
  let folder: ConfigFolder;
  let host: RunningHost;
  const log = logCollector();
  const secrets: string[] = [rootPassword];
  let addressCount = 0;
  /** Each test signs in from an address of its own, so that the sign-in limit of one does not touch another. */
  const fromNewAddress = () => `198.51.100.${++addressCount}`;

  const signIn = async (
    login: string,
    password: string,
    address: string,
    extra: Record<string, string> = {},
  ) => {
    const answer = await send(`${host.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...extra },
      body: JSON.stringify({ login, password }),
    });
    if (answer.status === 200) secrets.push(sessionCookieOf(answer).split('=')[1]!, answer.json().csrfToken);
    return answer;
  };
  const sessionOf = (answer: Awaited<ReturnType<typeof signIn>>) =>
    send(`${host.url}/api/v1/session`, { headers: { cookie: sessionCookieOf(answer) } });

  before(async () => {
    folder = configFolder().host({
      host: {
        port: 0,
        trustProxy: true,
        sessions: { idleMinutes: 0.025, absoluteHours: 0.001 },
        rateLimits: { signInPerMinute: 3, writesPerMinute: 4 },
      },
      embedded: { referenceCrm: { enabled: false } },
    });
    host = await startHost({
      configDir: folder.dir,
      env: adminEnv,
      logger: { level: 'trace', stream: log.stream },
    });
  });
  after(async () => {
    await host?.close();
    folder?.remove();
  });

  it('creates the first administrator from the environment at the first start, and asks everyone to sign in', async () => {
    expect((await send(`${host.url}/api/v1/session`)).status).to.equal(401);
    const answer = await signIn('root', rootPassword, fromNewAddress());
    expect(answer.status, answer.text).to.equal(200);
    expect(answer.json().user).to.include({ login: 'root', role: 'admin' });
  });

  it('sets the cookie Secure when the proxy it trusts says the browser came over https', async () => {
    const answer = await signIn('root', rootPassword, fromNewAddress(), { 'x-forwarded-proto': 'https' });
    expect(String([answer.headers['set-cookie']].flat()[0])).to.match(/; Secure(;|$)/);
  });

  it('ends a session left idle longer than host.sessions.idleMinutes', async () => {
    const answer = await signIn('root', rootPassword, fromNewAddress());
    expect((await sessionOf(answer)).status).to.equal(200);
    await sleep(1_700);
    const idle = await sessionOf(answer);
    expect(idle.status).to.equal(401);
    expect(idle.json().message).to.contain('the session has expired; sign in again');
  });

  it('ends a session at host.sessions.absoluteHours however active it is', async () => {
    const answer = await signIn('root', rootPassword, fromNewAddress());
    const started = Date.now();
    let alive = Date.now();
    while ((await sessionOf(answer)).status === 200) {
      alive = Date.now();
      await sleep(300);
    }
    expect(alive - started, 'kept alive by use past the idle limit').to.be.greaterThan(2_500);
    expect(Date.now() - started).to.be.within(3_000, 5_500);
  });

  it('answers sign-in attempts beyond the limit per address and login with 429 and Retry-After', async () => {
    const address = fromNewAddress();
    for (let attempt = 0; attempt < 3; attempt++)
      expect((await signIn('root', 'guessing-the-password', address)).status).to.equal(401);
    const limited = await signIn('root', rootPassword, address);
    expect(limited.status, 'even the right password, until the minute is over').to.equal(429);
    expect(limited.json()).to.include({ code: 'CRMSYNC_ERR_RATE_LIMITED' });
    expect(limited.json()).to.have.keys('code', 'message', 'location');
    expect(Number(limited.headers['retry-after'])).to.be.within(1, 60);
    expect((await signIn('root', rootPassword, fromNewAddress())).status, 'another address').to.equal(200);
    expect((await signIn('someone-else', 'guessing-the-password', address)).status, 'another login').to.equal(
      401,
    );
  });

  it("answers a user's writes beyond the limit with 429, and still answers their reads", async () => {
    const writer = await host.runtime.services.access.createUser({
      login: 'writer',
      password: 'writer-horse-battery',
    });
    const { token } = await host.runtime.services.access.createToken({ name: 'load', userId: writer.id });
    secrets.push(token);
    const client = new ApiClient(host.url, token);
    for (let write = 0; write < 4; write++)
      expect((await client.call('POST', '/plans/no-such-plan/cancel')).status).to.equal(404);
    const limited = await client.call('POST', '/plans/no-such-plan/cancel');
    expect(limited.status).to.equal(429);
    expect(limited.json()).to.include({ code: 'CRMSYNC_ERR_RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).to.be.within(1, 60);
    expect((await client.get('/sync-runs')).status).to.equal(200);
    const other = new ApiClient(
      host.url,
      (
        await host.runtime.services.access.createToken({
          name: 'x',
          userId: (await host.runtime.services.access.findUser('root')).id,
        })
      ).token,
    );
    expect(
      (await other.call('POST', '/plans/no-such-plan/cancel')).status,
      "another user's writes count apart",
    ).to.equal(404);
  });

  it('never writes a password, token, session id or CSRF token to its log', async () => {
    host.runtime.logger.info(
      {
        req: {
          headers: {
            authorization: `Bearer ${secrets.at(-1)}`,
            cookie: 'crmsync_session=abc',
            'x-csrf-token': 'xyz',
            'x-api-key': 'k',
          },
        },
      },
      'a request logged whole',
    );
    const text = log.lines.join('');
    expect(text).to.contain('a request logged whole');
    expect(text).to.contain('/api/v1/session', 'requests are logged at this level');
    for (const secret of [...secrets, 'crmsync_session=abc', 'xyz']) expect(text).not.to.contain(secret);
  });
});

describe('A host others can reach', function () {
  this.timeout(60_000);
  let folder: ConfigFolder;
  afterEach(() => folder?.remove());

  it('refuses to start with nobody to sign in and no API key, saying how to create an administrator', async () => {
    folder = configFolder().host({
      host: { port: 0, address: '0.0.0.0' },
      embedded: { referenceCrm: { enabled: false } },
    });
    const error = await startRefusal(startHost({ configDir: folder.dir, env: {}, logger: false }));
    expect(error.code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
    expect(error.message).to.contain('crmsync users create --admin <login>');
    expect(error.location.pointer).to.equal('/host/address');
    folder.host({ host: { port: 0, trustProxy: true }, embedded: { referenceCrm: { enabled: false } } });
    const proxied = await startRefusal(startHost({ configDir: folder.dir, env: {}, logger: false }));
    expect(proxied.location.pointer, 'behind a proxy, loopback is no protection').to.equal(
      '/host/trustProxy',
    );
  });

  it('refuses an administrator password from the environment that is too short, naming the variable', async () => {
    folder = configFolder().host({ host: { port: 0 }, embedded: { referenceCrm: { enabled: false } } });
    const weak = await startRefusal(
      startHost({
        configDir: folder.dir,
        env: { ...adminEnv, CRMSYNC_ADMIN_PASSWORD: 'short' },
        logger: false,
      }),
    );
    expect(weak.code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
    expect(weak.location.field).to.equal('CRMSYNC_ADMIN_PASSWORD');
    const half = await startRefusal(
      startHost({ configDir: folder.dir, env: { CRMSYNC_ADMIN_LOGIN: 'root' }, logger: false }),
    );
    expect(half.message).to.contain('CRMSYNC_ADMIN_LOGIN and CRMSYNC_ADMIN_PASSWORD go together');
  });

  it('takes the administrator from the environment at the first start only', async () => {
    folder = configFolder().host({ host: { port: 0 }, embedded: { referenceCrm: { enabled: false } } });
    const first = await startHost({ configDir: folder.dir, env: adminEnv, logger: false });
    await first.close();
    const second = await startHost({
      configDir: folder.dir,
      env: { ...adminEnv, CRMSYNC_ADMIN_PASSWORD: 'another-password-later' },
      logger: false,
    });
    try {
      const client = new ApiClient(second.url);
      expect((await client.signIn('root', 'another-password-later')).status).to.equal(401);
      expect((await client.signIn('root', rootPassword)).status).to.equal(200);
    } finally {
      await second.close();
    }
  });
});
