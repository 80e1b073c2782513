import type { HostConfig } from '../kernel/config/host-config.js';

/** What the application services need to know of the host configuration. */
export interface ServiceSettings {
  connectors: HostConfig['connectors'];
}
export const ServiceSettings = Symbol.for('crmsync.ServiceSettings');
