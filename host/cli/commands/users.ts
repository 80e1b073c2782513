import type { UserRole, UserView } from '../../../core/index.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { type PasswordSource, readPassword } from '../password-input.js';
import { type SessionOptions, withAccess } from '../session.js';

export interface UserCreateOptions extends SessionOptions, PasswordSource {
  admin?: boolean;
  account?: string;
}

const describe = (user: UserView) =>
  `${user.login}  ${user.role === 'admin' ? 'administrator' : 'user'}${user.account ? `  account ${user.account}` : ''}  (id ${user.id})`;

/** `crmsync users create <login>`: the first one must be an administrator (`--admin`). */
export async function runUserCreate(login: string, options: UserCreateOptions, out: Output): Promise<number> {
  return withAccess(options, async (access) => {
    const password = await readPassword(options, `Password for ${login}`);
    const user = await access.createUser({
      login,
      password,
      role: options.admin ? 'admin' : 'user',
      ...(options.account ? { account: options.account } : {}),
    });
    out.line(`Created ${describe(user)}`);
    out.result({ user });
    return ExitCode.success;
  });
}

export async function runUserList(options: SessionOptions, out: Output): Promise<number> {
  return withAccess(options, async (access) => {
    const users = await access.listUsers();
    for (const user of users) out.line(describe(user));
    if (users.length === 0)
      out.line('No users yet: create the first administrator with crmsync users create --admin <login>');
    out.result({ users });
    return users.length === 0 ? ExitCode.nothingToDo : ExitCode.success;
  });
}

export async function runUserSetRole(
  login: string,
  role: UserRole,
  options: SessionOptions,
  out: Output,
): Promise<number> {
  return withAccess(options, async (access) => {
    const user = await access.updateUser((await access.findUser(login)).id, { role });
    out.line(`Changed ${describe(user)}`);
    out.result({ user });
    return ExitCode.success;
  });
}

/** `crmsync users set-account <login> [account]`: without an account, the user is bound to none. */
export async function runUserSetAccount(
  login: string,
  account: string | undefined,
  options: SessionOptions,
  out: Output,
): Promise<number> {
  return withAccess(options, async (access) => {
    const user = await access.updateUser((await access.findUser(login)).id, { account: account || null });
    out.line(`Changed ${describe(user)}`);
    out.result({ user });
    return ExitCode.success;
  });
}

/** A new password also signs the user out of every browser. */
export async function runUserResetPassword(
  login: string,
  options: SessionOptions & PasswordSource,
  out: Output,
): Promise<number> {
  return withAccess(options, async (access) => {
    const found = await access.findUser(login);
    const password = await readPassword(options, `New password for ${found.login}`);
    const user = await access.updateUser(found.id, { password });
    out.line(`Changed the password of ${user.login}; their sessions have ended`);
    out.result({ user });
    return ExitCode.success;
  });
}

export async function runUserDelete(login: string, options: SessionOptions, out: Output): Promise<number> {
  return withAccess(options, async (access) => {
    const user = await access.findUser(login);
    await access.removeUser(user.id);
    out.line(`Deleted ${user.login} with their sessions and tokens`);
    out.result({ deleted: user });
    return ExitCode.success;
  });
}
