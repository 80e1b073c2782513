import { randomBytes } from 'node:crypto';

export interface AppRegistration {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** PEM certificate registered for the app: sign-in with a client assertion signed by its key. */
  certificate?: string;
}

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

export type TokenCheck = { ok: true; clientId: string } | { ok: false; message: string };

/** Issues and checks the opaque bearer tokens of the client-credentials flow. */
export class TokenService {
  private readonly tokens = new Map<string, IssuedToken>();
  /** How many tokens were issued, so tests can see a client reuse its token. */
  issued = 0;

  constructor(
    readonly app: AppRegistration,
    /** Lifetime of a new token; Entra answers 3599 s. */
    public lifetimeSeconds = 3599,
  ) {}

  issue(clientId: string): { token: string; expiresIn: number } {
    const token = `emulated.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { clientId, expiresAt: Date.now() + this.lifetimeSeconds * 1000 });
    this.issued++;
    if (this.tokens.size > 10_000) this.dropExpired();
    return { token, expiresIn: this.lifetimeSeconds };
  }

  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!match) return { ok: false, message: 'Access token is empty.' };
    const issued = this.tokens.get(match[1]!);
    if (!issued) return { ok: false, message: 'Invalid JWT token. The token is malformed.' };
    if (issued.expiresAt <= Date.now())
      return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
    return { ok: true, clientId: issued.clientId };
  }

  /** Lets one token (or every token issued so far) run out now, as if its lifetime had passed. */
  expire(token?: string): void {
    for (const [value, issued] of this.tokens)
      if (token === undefined || value === token) issued.expiresAt = 0;
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [token, issued] of this.tokens) if (issued.expiresAt <= now) this.tokens.delete(token);
  }
}
