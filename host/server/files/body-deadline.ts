import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { CrmsyncError } from '../../../core/index.js';

// After an answer to a request whose body was not read to its end, the client gets this long
// to read the answer before its connection is closed: closing at once could reset the
// connection before the client has read it.
const lingerMs = 2000;

/**
 * The body of a request, which must have arrived completely within `limitMs` of the request's
 * start. Past it, reading throws `CRMSYNC_ERR_REQUEST_TIMEOUT` instead of the connection being
 * cut, so a route can still say what happened: a 408 before its answer began, an answer that
 * ends with `"complete": false` after. Reading the rest of the body is left to the server.
 */
export async function* arrivingWithin(
  body: AsyncIterable<Uint8Array>,
  limitMs: number,
  setting: string,
): AsyncIterable<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  // Only the read waiting now may be failed by the deadline. Racing every read against one
  // promise that lasts the whole request would leave a reaction on it per chunk, and each
  // reaction keeps its chunk: the whole upload would stay in memory until the deadline.
  let failWaiting: ((error: Error) => void) | undefined;
  let expired: CrmsyncError | undefined;
  const timer = setTimeout(() => {
    expired = new CrmsyncError(
      'CRMSYNC_ERR_REQUEST_TIMEOUT',
      `the request body did not arrive within ${limitMs} ms; send it faster, or raise ${setting}`,
      { field: 'body' },
    );
    failWaiting?.(expired);
  }, limitMs);
  try {
    for (;;) {
      if (expired) throw expired;
      const next = await new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
        failWaiting = reject;
        iterator.next().then(resolve, reject);
      });
      failWaiting = undefined;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // The request stream is not ended here: ending it would cut the connection, and the answer with it.
    clearTimeout(timer);
  }
}

/**
 * Once the answer is out, a connection whose request body was not read to its end (a 429, a
 * 413, a timeout) is closed as web servers close it, lingering: the answer is ended (FIN), what
 * the client still sends is read and dropped for at most `lingerMs`, then the connection goes.
 * Closing at once, with body bytes unread, makes the kernel reset the connection, and a reset
 * throws away the answer the client has received but not yet read: the client would see a
 * broken pipe instead of the 429. Node closes a connection the client asked to close
 * (`Connection: close`) itself as soon as the answer is out, so that close lingers too.
 */
export function closeAfterAnswerIfUnread(request: IncomingMessage, response: ServerResponse): void {
  const socket = request.socket as Socket & { destroySoon?: () => void };
  const destroySoon = socket.destroySoon;
  if (typeof destroySoon === 'function')
    socket.destroySoon = () => (request.complete ? destroySoon.call(socket) : linger(request));
  response.once('finish', () => {
    if (!request.complete) linger(request);
  });
}

const lingering = new WeakSet<Socket>();

function linger(request: IncomingMessage): void {
  const { socket } = request;
  if (lingering.has(socket)) return;
  lingering.add(socket);
  socket.end();
  const timer = setTimeout(() => socket.destroy(), lingerMs).unref();
  request.once('end', () => {
    clearTimeout(timer);
    socket.destroy();
  });
  request.resume();
}
