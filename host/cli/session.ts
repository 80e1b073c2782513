import { pino } from 'pino';
import {
  type AccessService,
  AccessServiceImpl,
  loadHostConfig,
  openStateStore,
  stateStoreConfigOf,
} from '../../core/index.js';
import { defaultConfigDir } from '../boot.js';
import { createRuntime, type Runtime } from '../runtime.js';

export interface SessionOptions {
  /** `--config`; else $CRMSYNC_CONFIG, else the checkout's config/ folder. */
  config?: string;
  verbose?: boolean;
}

/** `--account <id>`: the groupware account a command works with; the default one without. */
export interface AccountOption {
  account?: string;
}

/** The account choice a service takes, empty when none was named. */
export function accountChoice(options: AccountOption): { account?: string } {
  return options.account === undefined ? {} : { account: options.account };
}

export function configDirOf(options: SessionOptions, env: NodeJS.ProcessEnv = process.env): string {
  return options.config ?? (env.CRMSYNC_CONFIG || defaultConfigDir);
}

/**
 * Runs one command on a runtime of its own, in this process: no server is needed, and the
 * runtime is disposed whatever happens, so the state store is closed before the process exits.
 * The log goes to standard error, warnings only unless `--verbose`, so standard output stays
 * the command's answer.
 */
export async function withRuntime<T>(
  options: SessionOptions,
  work: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const runtime = await createRuntime({
    configDir: configDirOf(options),
    logger: { level: options.verbose ? 'info' : 'warn', stream: pino.destination({ fd: 2, sync: true }) },
  });
  try {
    return await work(runtime);
  } finally {
    await runtime.dispose();
  }
}

/**
 * Runs one command on the access service alone: users and tokens live in the state store, so
 * no plugin is loaded and no CRM started, and a host serving the same store meanwhile is no
 * obstacle.
 */
export async function withAccess<T>(
  options: SessionOptions,
  work: (access: AccessService) => Promise<T>,
): Promise<T> {
  const { config } = loadHostConfig(configDirOf(options));
  const store = await openStateStore(stateStoreConfigOf(config));
  try {
    return await work(new AccessServiceImpl(store, { sessions: config.host.sessions }));
  } finally {
    await store.close();
  }
}
