/**
 * Another process using the same store: opens the store named on its command line, waits
 * for the agreed moment (so several contenders act at once), does one thing and prints what
 * came of it.
 */
import { openStateStore, type StateStoreConfig } from '../../../core/index.js';

export type ContenderOrder = {
  config: StateStoreConfig;
  /** Epoch ms to act at. */
  actAt: number;
} & (
  | { action: 'acquire-lease'; accountId: string; holder: string; ttlMs: number }
  | { action: 'note-in-summary'; planId: string; note: string }
);

const order = JSON.parse(process.argv[2]!) as ContenderOrder;
const store = await openStateStore(order.config);
try {
  const wait = order.actAt - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  if (order.action === 'acquire-lease') {
    const acquired = await store.leases.acquire(order.accountId, order.holder, order.ttlMs);
    process.stdout.write(`${JSON.stringify({ acquired })}\n`);
  } else {
    await store.plans.update(order.planId, { summary: { [order.note]: true } });
    process.stdout.write(`${JSON.stringify({ noted: true })}\n`);
  }
} finally {
  await store.close();
}
