import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { CrmsyncError } from '../../domain/errors.js';
import {
  type ApiToken,
  type StateScope,
  StateStore,
  type User,
  type UserRole,
} from '../../store/state-store.js';
import { ServiceSettings } from '../service-settings.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { newSecret, sha256Hex } from './secrets.js';

/** How long a sign-in lasts: idle for at most `idleMinutes`, and never past `absoluteHours`. */
export interface SessionLifetime {
  idleMinutes: number;
  absoluteHours: number;
}
export const defaultSessionLifetime: SessionLifetime = { idleMinutes: 60, absoluteHours: 12 };

/** A user as the API and the command line show them: never with the password hash. */
export interface UserView {
  id: string;
  login: string;
  role: UserRole;
  /** The groupware account (mailbox) the user is bound to, or null. */
  account: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface TokenView {
  id: string;
  name: string;
  userId: string;
  /** The login of the user the token acts as. */
  login: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
  state: 'active' | 'expired' | 'revoked';
}

/** A token as it is created: the only time its secret is shown. */
export interface NewToken extends TokenView {
  token: string;
}

export interface SignedIn {
  /** The session's secret id, for the cookie; only its hash is stored. */
  sessionId: string;
  csrfToken: string;
  user: UserView;
  expiresAt: number;
}

/** What a credential turned out to be: its user, or why it is not valid. */
export type Verdict<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Users, API tokens and sign-in sessions, all kept in the state store so that several hosts
 * share them. Passwords are scrypt hashes, tokens and session ids are stored as SHA-256 hashes
 * of 256 random bits, and there is always an administrator once there is a user.
 */
export interface AccessService {
  hasUsers(): Promise<boolean>;
  /** The first user must be an administrator (`CRMSYNC_ERR_ADMIN_REQUIRED`). */
  createUser(input: {
    login: string;
    password: string;
    role?: UserRole;
    account?: string | null;
  }): Promise<UserView>;
  listUsers(): Promise<UserView[]>;
  /** A user by id or login; `CRMSYNC_ERR_NOT_FOUND` when there is none. */
  findUser(idOrLogin: string): Promise<UserView>;
  /** A new password signs the user out everywhere; the last administrator stays one. */
  updateUser(
    id: string,
    change: { role?: UserRole; password?: string; account?: string | null },
  ): Promise<UserView>;
  /** Deletes the user with their sessions and tokens; never the last administrator. */
  removeUser(id: string): Promise<void>;
  /** `CRMSYNC_ERR_UNAUTHENTICATED` for a wrong login or password, without saying which. */
  signIn(login: string, password: string): Promise<SignedIn>;
  /** The user of a session, or why it is no longer valid; using it keeps it from going idle. */
  session(sessionId: string): Promise<Verdict<{ user: UserView; csrfToken: string }>>;
  signOut(sessionId: string): Promise<void>;
  createToken(input: { name: string; userId: string; expiresAt?: number }): Promise<NewToken>;
  listTokens(filter?: { userId?: string }): Promise<TokenView[]>;
  /** Revoking twice is harmless; `CRMSYNC_ERR_NOT_FOUND` for an unknown token. */
  revokeToken(id: string): Promise<TokenView>;
  /** The user a bearer token acts as, or why it is not valid. */
  tokenUser(token: string): Promise<Verdict<UserView>>;
}
export const AccessService = Symbol.for('crmsync.AccessService');

export const tokenPrefix = 'crmsync_';
const minPasswordLength = 12;
const maxPasswordLength = 1024;
const loginPattern = /^[\p{L}\p{N}][\p{L}\p{N}._@+-]{0,63}$/u;
/** A token used again within this long is not noted again: a busy client costs no write per request. */
const touchIntervalMs = 60_000;

const minutes = (value: number) => value * 60_000;
const hours = (value: number) => value * 3_600_000;

export function userView(user: User): UserView {
  return {
    id: user.id,
    login: user.login,
    role: user.role,
    account: user.account ?? null,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

function tokenState(token: ApiToken, now: number): TokenView['state'] {
  if (token.revokedAt !== undefined) return 'revoked';
  if (token.expiresAt !== undefined && token.expiresAt <= now) return 'expired';
  return 'active';
}

function tokenView(token: ApiToken, login: string, now = Date.now()): TokenView {
  return {
    id: token.id,
    name: token.name,
    userId: token.userId,
    login,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt ?? null,
    expiresAt: token.expiresAt ?? null,
    revokedAt: token.revokedAt ?? null,
    state: tokenState(token, now),
  };
}

/** Logins compare in any case and Unicode form: `Anna` and `anna` are one user. */
export function normalLogin(login: string): string {
  const normal = login.trim().normalize('NFC').toLowerCase();
  if (!loginPattern.test(normal))
    throw new CrmsyncError(
      'CRMSYNC_ERR_REQUEST_INVALID',
      'a login is 1 to 64 letters, digits and . _ @ + -, starting with a letter or digit',
      { field: 'login' },
    );
  return normal;
}

function checkedPassword(password: string): string {
  const length = [...password].length;
  if (length < minPasswordLength || length > maxPasswordLength)
    throw new CrmsyncError(
      'CRMSYNC_ERR_REQUEST_INVALID',
      `a password has at least ${minPasswordLength} characters (at most ${maxPasswordLength})`,
      { field: 'password' },
    );
  return password;
}

const adminRequired = (message: string) =>
  new CrmsyncError('CRMSYNC_ERR_ADMIN_REQUIRED', message, { field: 'role' });

@injectable()
export class AccessServiceImpl implements AccessService {
  private readonly lifetime: SessionLifetime;
  /** Compared against when a login is unknown, so a wrong login takes as long as a wrong password. */
  private decoy: Promise<string> | undefined;

  constructor(
    @inject(StateStore) private readonly state: StateStore,
    @inject(ServiceSettings) settings: Pick<ServiceSettings, 'sessions'>,
  ) {
    this.lifetime = settings.sessions ?? defaultSessionLifetime;
  }

  async hasUsers(): Promise<boolean> {
    return (await this.state.users.count()) > 0;
  }

  async createUser(input: {
    login: string;
    password: string;
    role?: UserRole;
    account?: string | null;
  }): Promise<UserView> {
    const login = normalLogin(input.login);
    const passwordHash = await hashPassword(checkedPassword(input.password));
    const role = input.role ?? 'user';
    const user = await this.state.transaction(async (scope) => {
      if (role !== 'admin' && (await scope.users.admins()).length === 0)
        throw adminRequired('the first user must be an administrator');
      return scope.users.create({
        id: randomUUID(),
        login,
        role,
        passwordHash,
        ...(input.account ? { account: input.account } : {}),
      });
    });
    return userView(user);
  }

  async listUsers(): Promise<UserView[]> {
    return (await this.state.users.list()).map(userView);
  }

  async findUser(idOrLogin: string): Promise<UserView> {
    return userView(await this.userOf(this.state, idOrLogin));
  }

  async updateUser(
    id: string,
    change: { role?: UserRole; password?: string; account?: string | null },
  ): Promise<UserView> {
    const passwordHash =
      change.password === undefined ? undefined : await hashPassword(checkedPassword(change.password));
    const updated = await this.state.transaction(async (scope) => {
      const user = await this.userOf(scope, id);
      if (change.role === 'user' && user.role === 'admin') await this.keepAnAdmin(scope, user, 'demoted');
      const result = await scope.users.update(user.id, {
        ...(change.role !== undefined ? { role: change.role } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
        ...(change.account !== undefined ? { account: change.account || null } : {}),
      });
      // Whoever knew the old password is signed out; bearer tokens are credentials of their own.
      if (passwordHash !== undefined) await scope.sessions.removeForUser(user.id);
      return result;
    });
    return userView(updated);
  }

  async removeUser(id: string): Promise<void> {
    await this.state.transaction(async (scope) => {
      const user = await this.userOf(scope, id);
      if (user.role === 'admin') await this.keepAnAdmin(scope, user, 'deleted');
      await scope.users.remove(user.id);
    });
  }

  async signIn(login: string, password: string): Promise<SignedIn> {
    let user: User | undefined;
    try {
      user = await this.state.users.byLogin(normalLogin(login));
    } catch (error) {
      if (!(error instanceof CrmsyncError) || error.code !== 'CRMSYNC_ERR_REQUEST_INVALID') throw error;
    }
    this.decoy ??= hashPassword(newSecret());
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.decoy));
    if (!user || !matches)
      throw new CrmsyncError('CRMSYNC_ERR_UNAUTHENTICATED', 'the login or the password is wrong', {
        field: 'login',
      });
    const now = Date.now();
    await this.state.sessions.removeExpired(now - minutes(this.lifetime.idleMinutes));
    const sessionId = newSecret();
    const session = await this.state.sessions.create({
      idHash: sha256Hex(sessionId),
      userId: user.id,
      csrfToken: newSecret(),
      expiresAt: now + hours(this.lifetime.absoluteHours),
    });
    return { sessionId, csrfToken: session.csrfToken, user: userView(user), expiresAt: session.expiresAt };
  }

  async session(sessionId: string): Promise<Verdict<{ user: UserView; csrfToken: string }>> {
    const idHash = sha256Hex(sessionId);
    const session = await this.state.sessions.get(idHash);
    if (!session) return { ok: false, reason: 'the session has ended; sign in again' };
    const now = Date.now();
    const idleMs = minutes(this.lifetime.idleMinutes);
    if (session.expiresAt <= now || session.lastSeenAt + idleMs <= now) {
      await this.state.sessions.remove(idHash);
      return { ok: false, reason: 'the session has expired; sign in again' };
    }
    const user = await this.state.users.get(session.userId);
    if (!user) return { ok: false, reason: 'the session has ended; sign in again' };
    // Noted often enough for the idle limit, rarely enough not to write on every request.
    if (now - session.lastSeenAt >= Math.min(touchIntervalMs, idleMs / 10))
      await this.state.sessions.touch(idHash);
    return { ok: true, value: { user: userView(user), csrfToken: session.csrfToken } };
  }

  async signOut(sessionId: string): Promise<void> {
    await this.state.sessions.remove(sha256Hex(sessionId));
  }

  async createToken(input: { name: string; userId: string; expiresAt?: number }): Promise<NewToken> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 100)
      throw new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', 'a token needs a name of 1 to 100 characters', {
        field: 'name',
      });
    if (input.expiresAt !== undefined && !(input.expiresAt > Date.now()))
      throw new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', 'a token cannot expire in the past', {
        field: 'expiresAt',
      });
    const user = await this.userOf(this.state, input.userId);
    const token = newSecret(tokenPrefix);
    const created = await this.state.tokens.create({
      id: randomUUID(),
      tokenHash: sha256Hex(token),
      name,
      userId: user.id,
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    });
    return { ...tokenView(created, user.login), token };
  }

  async listTokens(filter: { userId?: string } = {}): Promise<TokenView[]> {
    const logins = new Map((await this.state.users.list()).map((user) => [user.id, user.login]));
    const now = Date.now();
    return (await this.state.tokens.list(filter)).map((token) =>
      tokenView(token, logins.get(token.userId) ?? token.userId, now),
    );
  }

  async revokeToken(id: string): Promise<TokenView> {
    const token = await this.state.tokens.revoke(id);
    const user = await this.state.users.get(token.userId);
    return tokenView(token, user?.login ?? token.userId);
  }

  async tokenUser(token: string): Promise<Verdict<UserView>> {
    const stored = await this.state.tokens.byHash(sha256Hex(token));
    if (!stored) return { ok: false, reason: 'the bearer token is not one of this host' };
    const now = Date.now();
    if (stored.revokedAt !== undefined)
      return {
        ok: false,
        reason: `the bearer token was revoked at ${new Date(stored.revokedAt).toISOString()}`,
      };
    if (stored.expiresAt !== undefined && stored.expiresAt <= now)
      return { ok: false, reason: `the bearer token expired at ${new Date(stored.expiresAt).toISOString()}` };
    const user = await this.state.users.get(stored.userId);
    if (!user) return { ok: false, reason: 'the bearer token is not one of this host' };
    if (stored.lastUsedAt === undefined || now - stored.lastUsedAt >= touchIntervalMs)
      await this.state.tokens.touch(stored.id);
    return { ok: true, value: userView(user) };
  }

  private async userOf(scope: StateScope, idOrLogin: string): Promise<User> {
    const user =
      (await scope.users.get(idOrLogin)) ??
      (await scope.users.byLogin(idOrLogin.trim().normalize('NFC').toLowerCase()));
    if (!user)
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no user ${idOrLogin}`, {
        recordId: idOrLogin,
      });
    return user;
  }

  private async keepAnAdmin(scope: StateScope, user: User, change: 'demoted' | 'deleted'): Promise<void> {
    const others = (await scope.users.admins()).filter((id) => id !== user.id);
    if (others.length === 0)
      throw adminRequired(
        `${user.login} is the last administrator and cannot be ${change}; make another user one first`,
      );
  }
}
