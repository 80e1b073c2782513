import type { HostConfig } from '../kernel/config/host-config.js';

/** What the application services need to know of the host configuration. */
export interface ServiceSettings {
  connectors: HostConfig['connectors'];
  /** How long a sign-in lasts; `host.sessions`, the defaults when absent. */
  sessions?: HostConfig['host']['sessions'];
}
export const ServiceSettings = Symbol.for('crmsync.ServiceSettings');
