import { api } from './http';

/** A groupware account as `GET /groupware/accounts` lists it. */
export interface GroupwareAccount {
  id: string;
  connector: string;
  accountKey: string;
  default: boolean;
  fallback: boolean;
  health: { ok: boolean; message?: string };
}

export const groupwareAccounts = () => api<{ accounts: GroupwareAccount[] }>('GET', '/groupware/accounts');

const rememberedKey = 'crmsync.account';
let chosen: string | undefined;

/**
 * The account this client works with, when the person chose one of several in the header:
 * plans, sync runs and the contact toggle name it; undefined leaves the host's choice (the
 * default account, or the one a user is bound to).
 */
export function accountInUse(): string | undefined {
  return chosen;
}

/** Chooses the account for the requests that follow, and remembers it for the next visit. */
export function chooseAccount(id: string | undefined): void {
  chosen = id;
  try {
    if (id) localStorage.setItem(rememberedKey, id);
    else localStorage.removeItem(rememberedKey);
  } catch {
    // A browser that keeps nothing still works with the account for this visit.
  }
}

/** The account chosen on an earlier visit, if the browser kept it. */
export function rememberedAccount(): string | undefined {
  try {
    return localStorage.getItem(rememberedKey) ?? undefined;
  } catch {
    return undefined;
  }
}

/** `{ account }` for a request body or query when an account was chosen, else nothing. */
export function withAccount(): { account?: string } {
  return chosen ? { account: chosen } : {};
}
