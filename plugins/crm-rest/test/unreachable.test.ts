import { createServer } from 'node:net';
import { expect } from 'chai';
import { CrmRestConnector } from '../src/index.js';
import { rejection } from './support/connector-suite.js';
import { readProfile, referenceProfileFile } from './support/profiles.js';

/** A loopback port that nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('crm-rest when the CRM cannot be reached', () => {
  it('retries, then reports the CRM as unreachable naming the endpoint, and health says so', async () => {
    const profile = readProfile(referenceProfileFile);
    profile.baseUrl = `http://127.0.0.1:${await closedPort()}/api/v1`;
    profile.retry = { maxAttempts: 3, baseDelayMs: 10 };
    const sleeps: number[] = [];
    const connector = new CrmRestConnector({
      profile,
      profileFile: referenceProfileFile,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    const error = await rejection(connector.getContact('AP-000001'));
    expect(error.code).to.equal('CRMSYNC_ERR_CRM_UNREACHABLE');
    expect(error.location).to.deep.include({ endpoint: 'GET /contacts/{id}', recordId: 'AP-000001' });
    expect(sleeps).to.have.length(2);
    const health = await connector.health();
    expect(health.ok).to.equal(false);
    expect(health.detail).to.contain('cannot be reached');
  });
});
