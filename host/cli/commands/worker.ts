import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { CrmsyncError, loadHostConfig } from '../../../core/index.js';
import type { JobHandlers } from '../../jobs/job-handlers.js';
import { startJobSystem, storeHealth } from '../../jobs/job-system.js';
import { workerName } from '../../jobs/queue-worker.js';
import { listenOn } from '../../listen.js';
import { createRuntime, type Runtime } from '../../runtime.js';
import { HostMetrics } from '../../server/metrics.js';
import { healthRoutes } from '../../server/routes/health.js';
import { ExitCode, exitCodeOf } from '../exit-codes.js';
import { configDirOf, type SessionOptions } from '../session.js';

export interface WorkerOptions extends SessionOptions {
  port?: string;
}

// Past the jobs' own grace time, this is what a stuck shutdown gets before the process exits.
const shutdownBudgetMs = 30_000;

/**
 * `crmsync worker`: runs jobs from the PostgreSQL queue until SIGTERM or SIGINT, which lets
 * the jobs at work finish within `jobs.shutdownGraceSeconds` and hands back the rest. With
 * `--port` it also answers `/health`, `/health/ready` and `/metrics` for probes and scrapers.
 */
export async function runWorker(
  options: WorkerOptions,
  onExit: (code: number) => void,
  /** The kinds of job it runs; crmsync's own when absent. */
  handlers?: JobHandlers,
): Promise<void> {
  let runtime: Runtime | undefined;
  let stopRequested = false;
  let stop: (() => Promise<void>) | undefined;
  const onSignal = () => {
    stopRequested = true;
    void stop?.();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    const port = portOf(options.port);
    const configDir = configDirOf(options);
    // Refused before anything opens the store: a worker has nothing to do on SQLite.
    const { file, config } = loadHostConfig(configDir);
    if (config.store.kind !== 'postgres')
      throw new CrmsyncError(
        'CRMSYNC_ERR_CONFIG_INVALID',
        'crmsync worker runs jobs from the PostgreSQL queue; with the SQLite store the host runs them itself (store.kind "postgres")',
        { file, pointer: '/store/kind' },
      );
    runtime = await createRuntime({ configDir });
    const metrics = new HostMetrics();
    const jobs = await startJobSystem(runtime, {
      worker: true,
      ...(handlers ? { handlers } : {}),
      onEnd: (job, accountId) => metrics.jobEnded(job, accountId),
    });
    metrics.gauge('crmsync_queue_depth', 'Jobs waiting to run, queued or waiting for a retry', () =>
      jobs.depth(),
    );
    metrics.gauge(
      'crmsync_jobs_running',
      'Jobs this process is running now',
      async () => jobs.worker?.running ?? 0,
    );
    const started = runtime;
    let app: FastifyInstance | undefined;
    let stopping: Promise<void> | undefined;
    stop = () => {
      stopping ??= (async () => {
        const budget = started.config.jobs.shutdownGraceSeconds * 1000 + shutdownBudgetMs;
        const timer = setTimeout(() => {
          started.logger.error(`shutdown took longer than ${budget} ms; exiting`);
          process.exit(ExitCode.failure);
        }, budget);
        started.logger.info('stopping: jobs at work finish or are handed back');
        await jobs.close();
        await app?.close();
        await started.dispose();
        clearTimeout(timer);
        onExit(ExitCode.success);
        process.exit(ExitCode.success);
      })();
      return stopping;
    };
    let url: string | undefined;
    if (port !== undefined) {
      app = Fastify({ loggerInstance: started.logger as FastifyBaseLogger });
      metrics.register(app);
      await app.register(healthRoutes, {
        services: started.services,
        checks: { database: () => storeHealth(started), queue: () => jobs.health() },
      });
      const address = started.config.host.address;
      const server = app;
      url = await listenOn('crmsync worker', `${address}:${port}`, '--port', () =>
        server.listen({ port, host: address }),
      );
    }
    const { concurrency } = started.config.jobs;
    process.stdout.write(
      `crmsync worker is running as ${workerName}, ${concurrency} job${concurrency === 1 ? '' : 's'} at a time` +
        `${url ? `; health and metrics on ${url}` : ''}\n`,
    );
    if (stopRequested) await stop();
  } catch (error) {
    const message =
      error instanceof CrmsyncError
        ? `${error.code}: ${error.message}`
        : String((error as Error)?.stack ?? error);
    process.stderr.write(`crmsync worker could not start: ${message}\n`);
    await runtime?.dispose().catch(() => undefined);
    const code = exitCodeOf(error);
    onExit(code);
    process.exit(code);
  }
}

function portOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new CrmsyncError(
      'CRMSYNC_ERR_REQUEST_INVALID',
      `--port takes a port number from 0 to 65535, not "${value}"`,
      {
        field: '--port',
      },
    );
  return port;
}
