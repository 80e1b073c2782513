import type { Logger } from 'pino';
import { type AccessService, CrmsyncError } from '../core/index.js';

export const adminLoginVariable = 'CRMSYNC_ADMIN_LOGIN';
export const adminPasswordVariable = 'CRMSYNC_ADMIN_PASSWORD';

/**
 * The first administrator from `CRMSYNC_ADMIN_LOGIN` and `CRMSYNC_ADMIN_PASSWORD`, made at a
 * start that finds no user (a container's first start); once there are users both are
 * ignored. There is no default: without them the first administrator comes from
 * `crmsync users create --admin`.
 */
export async function createFirstAdminFromEnv(
  access: AccessService,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<void> {
  const login = env[adminLoginVariable];
  const password = env[adminPasswordVariable];
  if (!login && !password) return;
  if (!login || !password)
    throw new CrmsyncError(
      'CRMSYNC_ERR_CONFIG_INVALID',
      `${adminLoginVariable} and ${adminPasswordVariable} go together: set both to create the first administrator, or neither`,
      { field: login ? adminPasswordVariable : adminLoginVariable },
    );
  if (await access.hasUsers()) {
    logger.info(`${adminLoginVariable} is ignored: there are users already`);
    return;
  }
  try {
    const admin = await access.createUser({ login, password, role: 'admin' });
    logger.info({ login: admin.login }, 'the first administrator was created from the environment');
  } catch (error) {
    if (!(error instanceof CrmsyncError)) throw error;
    // Another host on the same store created them at the same moment.
    if (error.code === 'CRMSYNC_ERR_USER_EXISTS') return;
    const field = error.location.field === 'password' ? adminPasswordVariable : adminLoginVariable;
    throw new CrmsyncError('CRMSYNC_ERR_CONFIG_INVALID', `${field}: ${error.reason}`, { field });
  }
}
