import { chooseAccount, type GroupwareAccount, groupwareAccounts, rememberedAccount } from '../api/account';
import type { SessionUser } from '../api/session';
import { useLanguage } from '../i18n/language';

/**
 * The accounts a person may choose from: none for a user bound to their own account (the host
 * decides for them) or where the groupware has one account only; the fallback's accounts are
 * never chosen, the host turns to them by itself. Chooses the one remembered from an earlier
 * visit where it still exists, else the default.
 */
export async function settleAccount(user: SessionUser): Promise<GroupwareAccount[]> {
  if (user.account) {
    chooseAccount(undefined);
    return [];
  }
  const choices = (await groupwareAccounts()).accounts.filter((account) => !account.fallback);
  if (choices.length < 2) {
    chooseAccount(undefined);
    return [];
  }
  const remembered = rememberedAccount();
  const chosen =
    choices.find((account) => account.id === remembered) ?? choices.find((account) => account.default);
  chooseAccount(chosen?.id ?? choices[0]!.id);
  return choices;
}

/** The choice of account in the header; changing it shows the page anew for that account. */
export function AccountPicker({
  choices,
  chosen,
  onChoose,
}: {
  choices: GroupwareAccount[];
  chosen: string | undefined;
  onChoose: (id: string) => void;
}) {
  const { t } = useLanguage();
  if (choices.length < 2) return null;
  return (
    <label class="app-account">
      {t.app.account}
      <select
        class="account-choice"
        // A folder's path is longer than the header has room for: the whole of it on hover.
        title={choices.find((account) => account.id === chosen)?.accountKey}
        value={chosen}
        onChange={(event) => {
          const id = (event.target as HTMLSelectElement).value;
          chooseAccount(id);
          onChoose(id);
        }}
      >
        {choices.map((account) => (
          <option key={account.id} value={account.id}>
            {account.default ? t.app.defaultAccount(account.accountKey) : account.accountKey}
            {account.health.ok ? '' : ` – ${t.app.accountUnreachable}`}
          </option>
        ))}
      </select>
    </label>
  );
}
