import type { Socket } from 'node:net';

/**
 * The idle limit is there for clients that stall. Between the end of a request's body and the
 * start of its answer the silence is the host's own (a long export at work), so the limit is
 * paused for that stretch; the returned function puts it back, once, when the answer begins.
 */
export function pauseIdleLimit(socket: Socket | null, idleMs: number): () => void {
  socket?.setTimeout(0);
  let resumed = false;
  return () => {
    if (resumed) return;
    resumed = true;
    if (socket && !socket.destroyed) socket.setTimeout(idleMs);
  };
}
