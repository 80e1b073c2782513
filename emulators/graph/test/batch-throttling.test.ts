import { expect } from 'chai';
import {
  ben,
  contacts,
  docPayload,
  type GraphAnswer,
  type GraphSession,
  graphSession,
  type Json,
} from './support/graph-session.js';

describe('The Graph emulator’s batches, throttling and faults', () => {
  let session: GraphSession;
  const send: GraphSession['send'] = (...request) => session.send(...request);
  const batch = (requests: Json[]) => send('POST', '/$batch', { requests });
  const byId = (answer: GraphAnswer) =>
    new Map<string, Json>(answer.body.responses.map((inner: Json) => [inner.id, inner]));

  beforeEach(async () => {
    session = await graphSession();
  });
  afterEach(async () => session?.close());

  it('answers a batch with mixed results with 200 and a status, headers and body per request', async () => {
    const created = (await send('POST', contacts(), { surname: 'Da' })).body;
    const answer = await batch([
      {
        id: 'a',
        method: 'POST',
        url: contacts(),
        headers: { 'content-type': 'application/json' },
        body: { surname: 'Neu' },
      },
      { id: 'b', method: 'GET', url: `${contacts()}/does-not-exist` },
      { id: 'c', method: 'DELETE', url: `${contacts()}/${encodeURIComponent(created.id)}` },
      { id: 'd', method: 'POST', url: contacts(), body: { surname: 'OhneTyp' } },
    ]);
    expect(answer.status).to.equal(200);
    const inner = byId(answer);
    expect(inner.get('a')).to.include({ status: 201 });
    expect(inner.get('a').headers).to.deep.include({ 'Content-Type': 'application/json' });
    expect(inner.get('b').status).to.equal(404);
    expect(inner.get('c')).to.deep.include({ status: 204, body: null });
    expect(inner.get('d').status).to.equal(400);
    const documented = docPayload('batch.response.json');
    for (const response of answer.body.responses)
      expect(Object.keys(response)).to.satisfy((keys: string[]) =>
        keys.every((key) => key in documented.responses[1] || key === 'headers'),
      );
  });

  it('reads the documentation’s example batch and answers each of its requests', async () => {
    const answer = await send('POST', '/$batch', docPayload('batch.request.json'));
    expect(answer.status).to.equal(200);
    expect([...byId(answer).keys()].sort()).to.deep.equal(['1', '2', '3', '4']);
  });

  it('refuses a batch of more than 20 requests, and one with a duplicate id, as a whole with 400', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: contacts(),
    }));
    expect((await batch(requests)).status).to.equal(400);
    expect((await batch(requests.slice(0, 20))).status).to.equal(200);
    expect((await batch([requests[0], requests[0]])).status).to.equal(400);
  });

  it('runs a request after the one it depends on, and answers it with 424 when that one failed', async () => {
    const answer = await batch([
      {
        id: '1',
        method: 'POST',
        url: contacts(),
        headers: { 'Content-Type': 'application/json' },
        body: { surname: 'Kette' },
      },
      {
        id: '2',
        dependsOn: ['1'],
        method: 'GET',
        url: `${contacts()}?$filter=${encodeURIComponent("emailAddresses/any(a:a/address eq 'x@y.z')")}`,
      },
      { id: '3', method: 'GET', url: '/users/nobody@contoso.example/contacts' },
      { id: '4', dependsOn: ['3'], method: 'GET', url: contacts() },
    ]);
    const inner = byId(answer);
    expect(inner.get('1').status).to.equal(201);
    expect(inner.get('2').status).to.equal(200);
    expect(inner.get('3').status).to.equal(404);
    expect(inner.get('4').status).to.equal(424);
  });

  it('throttles an app per mailbox with 429, Retry-After and the documented body, leaving other mailboxes alone', async () => {
    session.server.throttling.options = {
      ...session.server.throttling.options,
      requestsPerWindow: 3,
      windowMs: 60_000,
    };
    for (let i = 0; i < 3; i++) expect((await send('GET', contacts())).status).to.equal(200);
    const throttled = await send('GET', contacts());
    expect(throttled.status).to.equal(429);
    expect(Number(throttled.headers.get('retry-after'))).to.be.within(50, 60);
    const documented = docPayload('error-throttled-429.response.json');
    expect(throttled.body.error.code).to.equal(documented.error.code);
    expect(throttled.body.error.message).to.equal(documented.error.message);
    expect(throttled.body.error.innerError).to.include.keys('request-id', 'date');
    expect((await send('GET', contacts(ben))).status).to.equal(200);
  });

  it('announces the remaining budget once 80 % of it is used', async () => {
    session.server.throttling.options = {
      ...session.server.throttling.options,
      requestsPerWindow: 5,
      windowMs: 60_000,
    };
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 5; i++)
      remaining.push((await send('GET', contacts())).headers.get('ratelimit-remaining'));
    expect(remaining).to.deep.equal([null, null, null, '1', '0']);
  });

  it('answers the throttled requests inside a batch with their own 429 and Retry-After, and runs the others', async () => {
    session.server.throttling.options = {
      ...session.server.throttling.options,
      requestsPerWindow: 2,
      windowMs: 60_000,
    };
    const answer = await batch(
      Array.from({ length: 5 }, (_, i) => ({ id: String(i), method: 'GET', url: contacts() })),
    );
    expect(answer.status).to.equal(200);
    const statuses = [...byId(answer).values()].map((inner) => inner.status);
    expect(statuses.filter((status) => status === 200)).to.have.length(2);
    const throttled = [...byId(answer).values()].find((inner) => inner.status === 429);
    expect(throttled.headers['Retry-After']).to.match(/^\d+(\.\d+)?$/);
  });

  it('allows at most four concurrent requests per mailbox and answers a fifth with ApplicationThrottled', async () => {
    session.server.faults.enqueue({ fault: { kind: 'delay', ms: 300 }, times: 4 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => send('GET', contacts())));
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).to.have.length(1);
    expect(refused[0]!.body.error).to.include({
      code: 'ApplicationThrottled',
      message: 'Application is over its MailboxConcurrency limit.',
    });
  });

  it('injects 503 answers, slow answers and reset connections on request', async () => {
    session.server.faults.enqueue({ fault: { kind: 'status', status: 503, retryAfter: '0' } });
    const unavailable = await send('GET', contacts());
    expect(unavailable.status).to.equal(503);
    expect(unavailable.body.error.code).to.equal('ServiceUnavailable');
    session.server.faults.enqueue({ fault: { kind: 'reset' } });
    const reset = await send('GET', contacts()).catch((error: Error) => error);
    expect(reset).to.be.instanceOf(Error);
    session.server.faults.enqueue({ fault: { kind: 'delay', ms: 150 } });
    const started = Date.now();
    expect((await send('GET', contacts())).status).to.equal(200);
    expect(Date.now() - started).to.be.at.least(140);
  });

  it('lets Microsoft’s client retry a throttled single request after Retry-After', async () => {
    await session.close();
    session = await graphSession({ clientRetries: 3 });
    session.server.faults.enqueue({ fault: { kind: 'status', status: 429, retryAfter: '0' }, times: 2 });
    expect((await send('GET', contacts())).status).to.equal(200);
    expect(session.server.stats.throttled).to.equal(2);
  });
});
