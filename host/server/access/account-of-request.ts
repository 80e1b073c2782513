import type { FastifyRequest } from 'fastify';
import { CrmsyncError, type GroupwareAccounts } from '../../../core/index.js';

/**
 * The groupware account a request works with. A user bound to an account (a mailbox) works
 * with theirs wherever a request names none, and may name no other (403); an administrator
 * bound to one may name any. Without a binding, the account named, else the host's default.
 */
export async function accountOfRequest(
  request: FastifyRequest,
  accounts: GroupwareAccounts,
  named: string | undefined,
): Promise<string | undefined> {
  const user = request.principal?.user;
  if (!user?.account) return named;
  if (user.role === 'admin' && named !== undefined) return named;
  const bound = await boundAccount(accounts, user.account);
  if (named !== undefined && named !== bound)
    throw new CrmsyncError(
      'CRMSYNC_ERR_FORBIDDEN',
      `${user.login} works with the groupware account ${bound} only, not ${named}`,
      { field: 'account' },
    );
  return bound;
}

/**
 * The account a binding names: by its id, by its account key, or by the mailbox its key begins
 * with (`ben@firma.de` for `outlook-graph:ben@firma.de/CRM`), in any case. A binding that fits
 * no account is refused rather than guessed, so that nobody works in a mailbox not theirs.
 */
async function boundAccount(accounts: GroupwareAccounts, binding: string): Promise<string> {
  const candidates = await accounts.syncable();
  const wanted = binding.toLowerCase();
  const keyOf = (account: (typeof candidates)[number]) => account.store.accountKey.toLowerCase();
  const found =
    candidates.find((account) => account.id.toLowerCase() === wanted) ??
    candidates.find((account) => keyOf(account) === wanted) ??
    candidates.find((account) => keyOf(account).startsWith(`${wanted}/`));
  if (found) return found.id;
  throw new CrmsyncError(
    'CRMSYNC_ERR_ACCOUNT_UNKNOWN',
    `the user is bound to the groupware account "${binding}", which is none of ${candidates.map((account) => account.id).join(', ') || 'none'}; an administrator binds the user to one of them`,
    { field: 'account' },
  );
}
