import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import Fastify, { type FastifyInstance } from 'fastify';
import { idleWhileWorking } from '../../host/server/idle-while-working.js';
import { send } from '../host/support/send.js';

describe('The idle limit while the host works on an answer', () => {
  let app: FastifyInstance;
  let url: string;
  const idleMs = 300;

  before(async () => {
    app = Fastify();
    app.register(async (working) => {
      idleWhileWorking(working, idleMs);
      working.get('/working', async () => {
        await sleep(idleMs * 3);
        return { done: true };
      });
    });
    app.get('/unguarded', async () => {
      await sleep(idleMs * 3);
      return { done: true };
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    app.server.setTimeout(idleMs);
  });
  after(async () => app.close());

  it('answers a request that takes longer than the idle limit to work out', async () => {
    const answer = await send(`${url}/working`);
    expect(answer.json()).to.deep.equal({ done: true });
  });

  it('is what keeps the connection: the same wait elsewhere loses it', async () => {
    const error = await send(`${url}/unguarded`).catch((e: Error) => e);
    expect(error).to.be.instanceOf(Error);
  });
});
