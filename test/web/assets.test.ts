import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import Fastify from 'fastify';
import { type RunningHost, startHost } from '../../host/boot.js';
import { registerWebClient } from '../../host/server/web-client.js';
import { type ConfigFolder, configFolder } from '../host/support/config-folder.js';
import { send } from '../host/support/send.js';

describe('The web client as the host serves it', () => {
  let folder: ConfigFolder;
  let host: RunningHost;
  before(async () => {
    folder = configFolder().host({ host: { port: 0 }, embedded: { referenceCrm: { enabled: false } } });
    host = await startHost({ configDir: folder.dir, logger: false });
  });
  after(async () => {
    await host?.close();
    folder?.remove();
  });

  const assetsOf = (page: string) => [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);

  it('serves the page at / to be asked for again each time, under a policy that allows only its own files', async () => {
    const page = await send(`${host.url}/`);
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.match(/^text\/html/);
    expect(page.headers['cache-control']).to.equal('no-cache');
    const policy = String(page.headers['content-security-policy']);
    expect(policy).to.contain("default-src 'self'");
    expect(policy).to.contain("script-src 'self'");
    expect(policy).not.to.contain('unsafe-inline');
    expect(page.text).to.contain('<html lang="de">');
    // Everything the page loads comes from this host: no CDN, no web font.
    for (const asset of assetsOf(page.text)) expect(asset).to.match(/^(\/assets\/|data:)/);
  });

  it('lets the hashed script and style be kept for a year, unasked', async () => {
    const page = await send(`${host.url}/`);
    const assets = assetsOf(page.text).filter((asset) => asset.startsWith('/assets/'));
    expect(assets.map((asset) => asset.split('.').pop())).to.have.members(['css', 'js']);
    for (const asset of assets) {
      expect(asset).to.match(/\/main-[A-Z0-9]{8}\.(js|css)$/);
      const answer = await send(`${host.url}${asset}`);
      expect(answer.status, asset).to.equal(200);
      expect(answer.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    }
  });

  it("leaves every other path to the API's own answers", async () => {
    const unknown = await send(`${host.url}/no-such-page`);
    expect(unknown.status).to.equal(404);
    expect(unknown.json()).to.include({ code: 'CRMSYNC_ERR_NOT_FOUND' });
    const health = await send(`${host.url}/health`);
    expect(health.status).to.equal(200);
  });

  it('serves the API alone when the client was not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'crmsync-no-web-'));
    const app = Fastify();
    try {
      await registerWebClient(app, empty);
      expect((await app.inject({ method: 'GET', url: '/' })).statusCode).to.equal(404);
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
