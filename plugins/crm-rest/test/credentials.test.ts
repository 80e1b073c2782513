import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { CrmsyncError, type HealthReport } from '../../../core/index.js';
import { CrmRestConnector } from '../src/index.js';
import { sampleContact } from './support/harness.js';
import { readProfile, referenceProfileFile } from './support/profiles.js';
import { applyOne, newKey } from './support/writes.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const secret = 'geheimer-schluessel';

describe('crm-rest sends its credentials only to the configured CRM', () => {
  let crm: { server: Server; origin: string };
  let stranger: { server: Server; origin: string };
  const strangerSaw: (string | undefined)[] = [];
  let answer: Handler = () => {};

  before(async () => {
    stranger = await listen((request, response) => {
      strangerSaw.push(request.headers['x-api-key'] as string | undefined);
      response.setHeader('content-type', 'application/json');
      response.end('{"items":[],"nextCursor":null}');
    });
    crm = await listen((request, response) => answer(request, response));
  });
  after(async () => {
    crm.server.close();
    stranger.server.close();
    await Promise.all([once(crm.server, 'close'), once(stranger.server, 'close')]);
  });

  const connector = (style: 'cursor' | 'link' = 'cursor') => {
    const profile = readProfile(referenceProfileFile);
    profile.baseUrl = `${crm.origin}/api/v1`;
    profile.auth = { type: 'apiKey', header: 'X-API-Key', key: secret };
    if (style === 'link') profile.paging = { style: 'link', items: '/items', sizeParam: 'limit', size: 1 };
    return new CrmRestConnector({ profile, profileFile: referenceProfileFile, sleep: async () => {} });
  };

  async function failure(run: () => Promise<unknown>): Promise<CrmsyncError> {
    try {
      await run();
    } catch (error) {
      expect(error).to.be.instanceOf(CrmsyncError);
      return error as CrmsyncError;
    }
    throw new Error('expected the call to fail, but it succeeded');
  }

  it('refuses a next-page link to another host and names the link', async () => {
    const record = readProfile(referenceProfileFile).contact.sample;
    answer = (_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.setHeader('link', `<${stranger.origin}/api/v1/contacts?page=2>; rel="next"`);
      response.end(JSON.stringify({ items: [record], nextCursor: null }));
    };
    const error = await failure(async () => {
      for await (const _item of connector('link').searchContacts()) {
        // reading is enough
      }
    });
    expect(error.message).to.contain(`${stranger.origin}/api/v1/contacts?page=2`);
    expect(strangerSaw).to.deep.equal([]);
  });

  it('does not follow a redirect and names where it points', async () => {
    answer = (_request, response) => {
      response.statusCode = 307;
      response.setHeader('location', `${stranger.origin}/api/v1/contacts/AP-000001`);
      response.end();
    };
    const error = await failure(() => connector().getContact('AP-000001'));
    expect(error.code).to.equal('CRMSYNC_ERR_CRM_REDIRECT');
    expect(error.message).to.contain(`${stranger.origin}/api/v1/contacts/AP-000001`);
    expect(strangerSaw).to.deep.equal([]);
  });

  it('neither sends nor shows a user name and password written into baseUrl', async () => {
    const seen: (string | undefined)[] = [];
    const record = readProfile(referenceProfileFile).contact.sample;
    answer = (request, response) => {
      seen.push(request.headers.authorization);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ items: [record], nextCursor: null }));
    };
    const profile = readProfile(referenceProfileFile);
    profile.baseUrl = `http://crmsync:${secret}@${crm.origin.slice('http://'.length)}/api/v1`;
    const client = new CrmRestConnector({
      profile,
      profileFile: referenceProfileFile,
      sleep: async () => {},
    });
    const health = await client.health();
    expect(health.ok).to.equal(true);
    expect(health.detail).to.not.contain(secret);
    expect(health.detail).to.not.contain('crmsync:');
    expect(seen).to.deep.equal([undefined]);
  });
});

describe('crm-rest keeps credentials in URLs out of every message', () => {
  const password = 'streng-geheim-42';
  const leakyUrl = `http://crmsync:${password}@127.0.0.1:9/api/v1/contacts`;
  const connector = (fetchImpl: typeof fetch) => {
    const profile = readProfile(referenceProfileFile);
    profile.baseUrl = 'http://127.0.0.1:9/api/v1';
    profile.retry = { maxAttempts: 1 };
    return new CrmRestConnector({
      profile,
      profileFile: referenceProfileFile,
      fetch: fetchImpl,
      sleep: async () => {},
    });
  };
  const unreachable = connector(async () => {
    throw new TypeError('fetch failed', { cause: new Error(`connect ECONNREFUSED ${leakyUrl}`) });
  });
  const redirecting = connector(
    async () => new Response(null, { status: 302, headers: { location: leakyUrl } }),
  );
  const failing = connector(async () => {
    throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${leakyUrl}`);
  });

  const shown = (text: string) => {
    expect(text).to.not.contain(password);
    expect(text).to.not.contain('crmsync:');
  };

  it('strips them from errors of a fetch that failed, and from the health detail', async () => {
    for (const client of [unreachable, failing]) {
      try {
        await client.getContact('AP-000001');
        expect.fail('expected the read to fail');
      } catch (error) {
        expect((error as CrmsyncError).code).to.equal('CRMSYNC_ERR_CRM_UNREACHABLE');
        shown((error as Error).message);
        expect((error as Error).message).to.contain('127.0.0.1:9/api/v1/contacts');
        shown(JSON.stringify(error, Object.getOwnPropertyNames(error)));
      }
      const health: HealthReport = await client.health();
      expect(health.ok).to.equal(false);
      shown(health.detail);
    }
  });

  it('strips them from the redirect target it names', async () => {
    try {
      await redirecting.getContact('AP-000001');
      expect.fail('expected the read to fail');
    } catch (error) {
      expect((error as CrmsyncError).code).to.equal('CRMSYNC_ERR_CRM_REDIRECT');
      shown((error as Error).message);
    }
  });

  it('strips them from the problem of a write outcome', async () => {
    const outcome = await applyOne(failing, {
      kind: 'create',
      key: newKey(),
      contact: sampleContact('GP-0001'),
    });
    expect(outcome.ok).to.equal(false);
    if (!outcome.ok) {
      expect(outcome.retryable).to.equal(true);
      shown(outcome.problem.message);
    }
  });
});
