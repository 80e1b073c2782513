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
  host.app.log.info(`${signal} received: finishing requests in flight, then stopping plugins`);
  const budget = host.runtime.config.host.timeouts.shutdownGraceMs + shutdownBudgetMs;
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
 * the caller keeps to a single failure code (`npm start` always exited with 1).
 */
export async function serve(options: { distinguishConfigurationErrors: boolean }): Promise<void> {
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  try {
    host = await startHost();
    if (stopRequested) {
      await stop(stopRequested);
    } else {
      const lines = [
        `crmsync is listening on ${host.url}`,
        `  health:  ${host.url}/health`,
        `  plugins: ${host.url}/api/v1/plugins`,
      ];
      if (host.referenceCrm) {
        lines.push(
          `  reference CRM: ${host.referenceCrm.url} (API key from CRM_API_KEY, else the development key)`,
        );
      }
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
