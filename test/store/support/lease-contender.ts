/**
 * Another process wanting an account's lease: opens the store named on its command line,
 * waits for the agreed moment (so several contenders ask at once), asks once and prints
 * whether it got the lease.
 */
import { openStateStore, type StateStoreConfig } from '../../../core/index.js';

export interface ContenderOrder {
  config: StateStoreConfig;
  accountId: string;
  holder: string;
  ttlMs: number;
  /** Epoch ms to ask at. */
  askAt: number;
}

const order = JSON.parse(process.argv[2]!) as ContenderOrder;
const store = await openStateStore(order.config);
try {
  const wait = order.askAt - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const acquired = await store.leases.acquire(order.accountId, order.holder, order.ttlMs);
  process.stdout.write(`${JSON.stringify({ acquired })}\n`);
} finally {
  await store.close();
}
