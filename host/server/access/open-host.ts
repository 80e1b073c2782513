import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { type AccessService, CrmsyncError, type HostConfig } from '../../../core/index.js';

const loopbackNames = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** An address only this machine can reach: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (loopbackNames.has(bare)) return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

const hostNameOf = (hostHeader: string | undefined): string | undefined => {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};

/** How long "there are no users" is believed before the store is asked again. */
const recheckMs = 1_000;

/**
 * A host without users and without an API key is *open* — everyone is the local
 * administrator, no sign-in — only while it listens on loopback, trusts no proxy, and the
 * request names a loopback host and came through no proxy. The embedded default (`npm start`
 * on 127.0.0.1) works so without any setup; the first user ends it, for every host on the
 * store within a second.
 */
export class OpenHost {
  private readonly possible: boolean;
  private usersExist = false;
  private checkedAt = 0;

  constructor(
    config: HostConfig,
    private readonly access: AccessService,
  ) {
    this.possible =
      config.host.apiKey === undefined && !config.host.trustProxy && isLoopbackAddress(config.host.address);
  }

  /** A host reachable from elsewhere with nobody to sign in and no API key is refused at start. */
  static async refuseUnguarded(config: HostConfig, access: AccessService): Promise<void> {
    if (config.host.apiKey !== undefined || (await access.hasUsers())) return;
    if (isLoopbackAddress(config.host.address) && !config.host.trustProxy) return;
    const where = config.host.trustProxy ? 'behind a proxy (host.trustProxy)' : `on ${config.host.address}`;
    throw new CrmsyncError(
      'CRMSYNC_ERR_CONFIG_INVALID',
      `crmsync listens ${where}, where others can reach it, but nobody can sign in: create an administrator ` +
        'with "crmsync users create --admin <login>" (or set CRMSYNC_ADMIN_LOGIN and CRMSYNC_ADMIN_PASSWORD for ' +
        'the first start), set host.apiKey, or listen on 127.0.0.1',
      { pointer: config.host.trustProxy ? '/host/trustProxy' : '/host/address' },
    );
  }

  async isOpen(request: FastifyRequest): Promise<boolean> {
    if (!this.possible) return false;
    const name = hostNameOf(request.headers.host);
    if (name === undefined || !isLoopbackAddress(name)) return false;
    if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined)
      return false;
    return !(await this.hasUsers());
  }

  /** Told when this host created a user: it is no longer open, from the next request on. */
  userCreated(): void {
    this.usersExist = true;
  }

  private async hasUsers(): Promise<boolean> {
    // Once there is a user there always is one: the last administrator cannot be deleted.
    if (this.usersExist) return true;
    const now = Date.now();
    if (now - this.checkedAt >= recheckMs) {
      this.usersExist = await this.access.hasUsers();
      this.checkedAt = now;
    }
    return this.usersExist;
  }
}
