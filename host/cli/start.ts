import { CrmsyncError } from '../../core/index.js';
import { startHost } from '../boot.js';

// A shutdown that hangs on a stuck plugin must not keep the process alive forever.
const shutdownBudgetMs = 10_000;

try {
  const host = await startHost();
  const stop = async (signal: string) => {
    host.app.log.info(`${signal} received: finishing requests in flight, then stopping plugins`);
    const timer = setTimeout(() => {
      host.app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, shutdownBudgetMs);
    timer.unref();
    await host.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // Printed last: whoever waits for the URL may signal right away, so the handlers must be in place.
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
} catch (error) {
  const message =
    error instanceof CrmsyncError
      ? `${error.code}: ${error.message}`
      : String((error as Error)?.stack ?? error);
  process.stderr.write(`crmsync could not start: ${message}\n`);
  process.exit(1);
}
