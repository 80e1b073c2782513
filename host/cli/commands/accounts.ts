import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { type SessionOptions, withRuntime } from '../session.js';

/** `crmsync accounts`: the groupware accounts `--account` takes, the default first, each with its health. */
export async function runAccounts(options: SessionOptions, out: Output): Promise<number> {
  return withRuntime(options, async (runtime) => {
    const accounts = await runtime.services.accounts.list();
    for (const account of accounts) {
      const role = account.default ? ' (default)' : account.fallback ? ' (fallback)' : '';
      out.line(`${account.id}${role}`);
      out.line(`  ${account.health.ok ? 'ok' : '!'} ${account.health.detail}`);
    }
    if (accounts.length === 0) out.line('No groupware account can be used.');
    out.result({ accounts });
    return accounts.length === 0 ? ExitCode.failure : ExitCode.success;
  });
}
