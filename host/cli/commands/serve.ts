import { CrmsyncError } from '../../../core/index.js';
import { type RunningHost, startHost } from '../../boot.js';
import { ExitCode, exitCodeOf } from '../exit-codes.js';

// A shutdown that hangs must not keep the process alive forever. Requests in flight get
// host.timeouts.shutdownGraceMs, each plugin's deactivate its own limit inside the kernel;
// this budget only catches what is left.
const shutdownBudgetMs = 30_000;

let host: RunningHost | undefined;
let stopRequested: string | undefined;

async function stop(signal: string): Promise<void> {
  if (!host) {
    // Still starting: finish starting (so every plugin that activated is deactivated), then stop.
    stopRequested = signal;
    return;
  }
  host.app.log.info(`${signal} received: finishing requests and jobs in flight, then stopping plugins`);
  const { host: settings, jobs } = host.runtime.config;
  const budget = settings.timeouts.shutdownGraceMs + jobs.shutdownGraceSeconds * 1000 + shutdownBudgetMs;
  const timer = setTimeout(() => {
    host?.app.log.error(`shutdown took longer than ${budget} ms; exiting`);
    process.exit(1);
  }, budget);
  await host.close();
  clearTimeout(timer);
  process.exit(0);
}
/**
 * `crmsync serve` (and `npm start`): the host, until SIGTERM or SIGINT stops it. A host that
 * cannot start exits with the configuration code when its configuration is to blame, unless
 * the caller keeps to a single failure code (`npm start` always exited with 1). `worker`
 * false serves the API only and leaves the jobs to `crmsync worker` processes.
 */
export async function serve(options: {
  distinguishConfigurationErrors: boolean;
  worker?: boolean;
  /** `--config`; else $CRMSYNC_CONFIG, else the checkout's config/ folder. */
  configDir?: string;
}): Promise<void> {
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  try {
    host = await startHost({
      ...(options.worker === undefined ? {} : { worker: options.worker }),
      ...(options.configDir ? { configDir: options.configDir } : {}),
    });
    if (stopRequested) {
      await stop(stopRequested);
    } else {
      const lines = [
        `crmsync is listening on ${host.url}`,
        `  health:  ${host.url}/health`,
        `  plugins: ${host.url}/api/v1/plugins`,
        `  jobs:    ${jobsLine(host)}`,
      ];
      if (host.referenceCrm) {
        lines.push(
          `  reference CRM: ${host.referenceCrm.url} (API key from CRM_API_KEY, else the development key)`,
        );
      }
      if (host.runtime.config.host.apiKey === undefined && !(await host.runtime.services.access.hasUsers()))
        lines.push(
          '  ! no users yet: anyone on this machine may use the API; "crmsync users create --admin <login>" makes sign-in required',
        );
      for (const problem of host.startupProblems) lines.push(`  ! ${problem}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  } catch (error) {
    const message =
      error instanceof CrmsyncError
        ? `${error.code}: ${error.message}`
        : String((error as Error)?.stack ?? error);
    process.stderr.write(`crmsync could not start: ${message}\n`);
    const configurationError =
      options.distinguishConfigurationErrors && exitCodeOf(error) === ExitCode.configuration;
    process.exit(configurationError ? ExitCode.configuration : ExitCode.failure);
  }
}

function jobsLine(host: RunningHost): string {
  const { store, jobs } = host.runtime.config;
  if (store.kind === 'sqlite') return 'run in this process';
  return host.runsJobs
    ? `on the PostgreSQL queue, ${jobs.concurrency} at a time in this process too`
    : 'on the PostgreSQL queue, run by crmsync worker processes';
}
