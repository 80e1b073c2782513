import { expect } from 'chai';
import { CrmsyncError, loadHostConfig } from '../../core/index.js';
import { type RunningHost, startHost } from '../../host/boot.js';
import { hostNameCheck } from '../../host/server/request-guards.js';
import { type ConfigFolder, configFolder } from './support/config-folder.js';
import { send } from './support/send.js';

const apiKey = 'access-test-key-8d2f';

describe('Access to the host', () => {
  let folder: ConfigFolder;
  let host: RunningHost;
  before(async () => {
    folder = configFolder().host({
      host: { port: 0, apiKey: '${env:ACCESS_TEST_KEY}', allowedHosts: ['crmsync.firma.de'] },
      embedded: { referenceCrm: { enabled: false } },
    });
    host = await startHost({ configDir: folder.dir, env: { ACCESS_TEST_KEY: apiKey }, logger: false });
  });
  after(async () => {
    await host.close();
    folder.remove();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    send(`${host.url}${path}`, { headers: { 'x-api-key': apiKey, ...headers } });

  it('answers its own names and refuses a host name that only resolves to it (DNS rebinding)', async () => {
    const port = new URL(host.url).port;
    for (const name of ['localhost', '127.0.0.1', '[::1]', 'crmsync.firma.de']) {
      expect((await get('/api/v1/plugins', { host: `${name}:${port}` })).status, name).to.equal(200);
    }
    const foreign = await get('/api/v1/plugins', { host: `attacker.example:${port}` });
    expect(foreign.status).to.equal(403);
    expect(foreign.json()).to.include({ code: 'CRMSYNC_ERR_FOREIGN_ORIGIN' });
    expect((await get('/health', { host: 'attacker.example' })).status).to.equal(403);
  });

  it('takes any IP address as its own name only when it listens on every address', () => {
    expect(hostNameCheck('0.0.0.0', [])('192.168.1.20:3000')).to.equal(true);
    expect(hostNameCheck('0.0.0.0', [])('crmsync.evil.example')).to.equal(false);
    expect(hostNameCheck('127.0.0.1', [])('192.168.1.20:3000')).to.equal(false);
  });

  it('refuses a request from a page of another site, and accepts one from its own pages', async () => {
    const foreign = await get('/api/v1/config', { origin: 'https://evil.example' });
    expect(foreign.status).to.equal(403);
    expect(foreign.json().location).to.deep.equal({ field: 'origin' });
    expect((await get('/api/v1/config', { origin: 'null' })).status).to.equal(403);
    expect((await get('/api/v1/config', { origin: host.url })).status).to.equal(200);
  });

  it('refuses form bodies that a foreign page could post without asking (415)', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await send(`${host.url}/api/v1/exports/vcard-single`, {
        headers: { 'x-api-key': apiKey, 'content-type': type },
        body: 'contacts=1',
      });
      expect(answer.status, type).to.equal(415);
      expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_UNSUPPORTED_MEDIA_TYPE' });
    }
  });

  it('refuses a wrong key of any length with 403, and no credential at all with 401', async () => {
    for (const wrong of ['x', apiKey.slice(0, -1), `${apiKey}0`, apiKey.repeat(20)]) {
      expect((await get('/api/v1/plugins', { 'x-api-key': wrong })).status).to.equal(403);
    }
    expect((await send(`${host.url}/api/v1/plugins`)).status).to.equal(401);
  });

  it("takes a user's bearer token beside the key, and the key acts as an administrator", async () => {
    const { access } = host.runtime.services;
    const anna = await access.createUser({ login: 'anna', password: 'anna-correct-horse', role: 'admin' });
    const ben = await access.createUser({ login: 'ben', password: 'ben-correct-horse' });
    const { token } = await access.createToken({ name: 'script', userId: ben.id });
    const asBen = { authorization: `Bearer ${token}` };
    const session = await send(`${host.url}/api/v1/session`, { headers: asBen });
    expect(session.json()).to.deep.include({ mode: 'token' });
    expect(
      (await send(`${host.url}/api/v1/plugins`, { headers: asBen })).status,
      'ben is no administrator',
    ).to.equal(403);
    const byKey = await get('/api/v1/session');
    expect(byKey.json()).to.deep.equal({
      user: { id: 'api-key', login: 'api-key', role: 'admin', account: null },
      mode: 'api-key',
    });
    expect((await get('/api/v1/users')).json().users.map((user: { id: string }) => user.id)).to.have.members([
      anna.id,
      ben.id,
    ]);
    await access.removeUser(ben.id);
  });

  it('finds no schema called __proto__ or constructor', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const answer = await get(`/api/v1/schemas/${name}`);
      expect(answer.status, name).to.equal(404);
      expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_SCHEMA_UNKNOWN' });
    }
    expect((await get('/api/v1/schemas/contact')).status).to.equal(200);
  });

  it('answers a route that does not exist with 404 and a code', async () => {
    const answer = await get('/api/v1/nothing-here');
    expect(answer.status).to.equal(404);
    expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_NOT_FOUND' });
  });
});

describe('The host configuration', () => {
  let folder: ConfigFolder;
  beforeEach(() => {
    folder = configFolder();
  });
  afterEach(() => folder.remove());

  const errorOf = (env: NodeJS.ProcessEnv = {}) => {
    try {
      loadHostConfig(folder.dir, env);
    } catch (error) {
      return error as CrmsyncError;
    }
    throw new Error('the configuration was accepted');
  };

  it('refuses "port": true instead of reading it as port 1, naming the file and pointer', () => {
    folder.host({ host: { port: true } });
    const error = errorOf();
    expect(error).to.be.instanceOf(CrmsyncError);
    expect(error.code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
    expect(error.location).to.deep.equal({ file: `${folder.dir}/crmsync.json`, pointer: '/host/port' });
    folder.host({ embedded: { referenceCrm: { enabled: 1 } } });
    expect(errorOf().location.pointer).to.equal('/embedded/referenceCrm/enabled');
  });

  it('still reads a port from an environment variable', () => {
    folder.host({ host: { port: '${env:TEST_PORT}' } });
    expect(loadHostConfig(folder.dir, { TEST_PORT: '4321' }).config.host.port).to.equal(4321);
  });

  it('stops the start when the API key resolves to an empty string, instead of switching access control off', () => {
    folder.host({ host: { apiKey: '${env:EMPTY_KEY}' } });
    const error = errorOf({ EMPTY_KEY: '' });
    expect(error.code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
    expect(error.message).to.contain('host.apiKey is empty');
    expect(error.location.pointer).to.equal('/host/apiKey');
  });

  it('gives every limit and time limit a documented default', () => {
    folder.host({});
    const { host } = loadHostConfig(folder.dir, {}).config;
    expect(host.limits).to.deep.equal({
      uploadBytes: 209715200,
      exportBodyBytes: 209715200,
      exportContacts: 100000,
      exportValueChars: 8388608,
      previewContacts: 1000,
      previewProblems: 1000,
      heavyRequests: 1,
    });
    expect(host.timeouts).to.deep.equal({
      headersMs: 15000,
      requestMs: 300000,
      idleMs: 30000,
      shutdownGraceMs: 10000,
      planAnswerMs: 1000,
    });
    expect(host.allowedHosts).to.deep.equal([]);
    expect(host.trustProxy).to.equal(false);
    expect(host.sessions).to.deep.equal({ idleMinutes: 60, absoluteHours: 12 });
    expect(host.rateLimits).to.deep.equal({ signInPerMinute: 10, writesPerMinute: 300 });
  });
});
