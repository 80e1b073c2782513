import { CrmsyncError, type TokenView } from '../../../core/index.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { type SessionOptions, withAccess } from '../session.js';

export interface TokenCreateOptions extends SessionOptions {
  user: string;
  name: string;
  expiresIn?: string;
}

const day = 86_400_000;
const when = (time: number | null) => (time === null ? '—' : new Date(time).toISOString());
const describe = (token: TokenView) =>
  `${token.id}  ${token.name}  ${token.login}  ${token.state}  created ${when(token.createdAt)}  last used ${when(token.lastUsedAt)}  expires ${when(token.expiresAt)}`;

/** `crmsync tokens create`: the token is printed this once; only its hash is kept. */
export async function runTokenCreate(options: TokenCreateOptions, out: Output): Promise<number> {
  let expiresAt: number | undefined;
  if (options.expiresIn !== undefined) {
    const days = Number(options.expiresIn);
    if (!(days > 0))
      throw new CrmsyncError(
        'CRMSYNC_ERR_REQUEST_INVALID',
        `--expires-in takes a number of days, not "${options.expiresIn}"`,
        {
          field: '--expires-in',
        },
      );
    expiresAt = Date.now() + days * day;
  }
  return withAccess(options, async (access) => {
    const user = await access.findUser(options.user);
    const token = await access.createToken({
      name: options.name,
      userId: user.id,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    });
    out.line(
      `Created token ${token.id} "${token.name}" acting as ${token.login}${token.expiresAt ? `, expires ${when(token.expiresAt)}` : ''}.`,
    );
    out.line('Store it now: it is shown this once and cannot be read again.');
    out.line(token.token);
    out.result({ token });
    return ExitCode.success;
  });
}

export async function runTokenList(
  options: SessionOptions & { user?: string },
  out: Output,
): Promise<number> {
  return withAccess(options, async (access) => {
    const userId = options.user === undefined ? undefined : (await access.findUser(options.user)).id;
    const tokens = await access.listTokens(userId === undefined ? {} : { userId });
    for (const token of tokens) out.line(describe(token));
    if (tokens.length === 0) out.line('No tokens.');
    out.result({ tokens });
    return tokens.length === 0 ? ExitCode.nothingToDo : ExitCode.success;
  });
}

export async function runTokenRevoke(id: string, options: SessionOptions, out: Output): Promise<number> {
  return withAccess(options, async (access) => {
    const token = await access.revokeToken(id);
    out.line(`Revoked token ${token.id} "${token.name}" of ${token.login}`);
    out.result({ token });
    return ExitCode.success;
  });
}
