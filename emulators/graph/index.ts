export type { Fault, QueuedFault, Storm } from './api/faults.js';
export type { ThrottlingOptions } from './api/throttling.js';
export {
  defaultMailboxes,
  emulatorApp,
  type GraphServer,
  type GraphServerOptions,
  type GraphStats,
  startGraphServer,
} from './server.js';
