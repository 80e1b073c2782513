import { pino } from 'pino';
import { defaultConfigDir } from '../boot.js';
import { createRuntime, type Runtime } from '../runtime.js';

export interface SessionOptions {
  /** `--config`; else $CRMSYNC_CONFIG, else the checkout's config/ folder. */
  config?: string;
  verbose?: boolean;
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
