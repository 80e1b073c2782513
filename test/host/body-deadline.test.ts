import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { arrivingWithin } from '../../host/server/files/body-deadline.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const chunkBytes = 1 << 20;

describe('A request body read against its deadline', () => {
  it('lets go of each chunk once it is passed on, while the body is still arriving', async () => {
    const passedOn: WeakRef<Uint8Array>[] = [];
    async function* body(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 20; i++) {
        const chunk = Buffer.alloc(chunkBytes, i);
        passedOn.push(new WeakRef(chunk));
        yield chunk;
        await nextTurn();
      }
    }
    let received = 0;
    let stillHeld = 0;
    for await (const chunk of arrivingWithin(body(), 60_000, 'host.timeouts.requestMs')) {
      received += chunk.length;
      if (received < 15 * chunkBytes) continue;
      // Counted while the body is still being read, since the end of the read releases everything.
      // A WeakRef's target lives at least to the end of the current turn.
      await nextTurn();
      collectGarbage();
      stillHeld = passedOn.filter((held) => held.deref() !== undefined).length;
      break;
    }
    expect(received).to.equal(15 * chunkBytes);
    expect(stillHeld, 'chunks of 1 MiB still in memory after reading 15').to.be.at.most(2);
  });

  it('fails a body that stops arriving once the deadline has passed, naming the setting', async () => {
    async function* stalled(): AsyncIterable<Uint8Array> {
      yield Buffer.from('BEGIN:VCARD\r\n');
      await new Promise(() => undefined);
    }
    const started = performance.now();
    const chunks: Uint8Array[] = [];
    const error = await (async () => {
      for await (const chunk of arrivingWithin(stalled(), 100, 'host.timeouts.requestMs')) chunks.push(chunk);
    })().then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(chunks).to.have.length(1);
    expect(error?.code).to.equal('CRMSYNC_ERR_REQUEST_TIMEOUT');
    expect(error?.message).to.contain('host.timeouts.requestMs');
    expect(performance.now() - started).to.be.below(1000);
  });

  it('passes a body that arrives in time through whole and in order', async () => {
    async function* body(): AsyncIterable<Uint8Array> {
      for (const part of ['BEGIN:VCARD\r\n', 'FN:Anna\r\n', 'END:VCARD\r\n']) yield Buffer.from(part);
    }
    const parts: string[] = [];
    for await (const chunk of arrivingWithin(body(), 1000, 'host.timeouts.requestMs'))
      parts.push(Buffer.from(chunk).toString());
    expect(parts.join('')).to.equal('BEGIN:VCARD\r\nFN:Anna\r\nEND:VCARD\r\n');
  });
});
