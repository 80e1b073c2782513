import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Kernel, LoadedHostConfig } from '../core/index.js';
import type { CrmServer } from '../emulators/crm/index.js';
import { createFirstAdminFromEnv } from './first-admin.js';
import { listenOn } from './listen.js';
import type { LoggerOptions } from './logger.js';
import { createRuntime, type Runtime } from './runtime.js';
import { buildApp } from './server/app.js';

/** config/ of the checkout, next to dist/: the embedded defaults. */
export const defaultConfigDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config');

export interface HostOptions {
  /** Defaults to $CRMSYNC_CONFIG, else the checkout's config/ folder. */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
  logger?: LoggerOptions | false;
  /** Whether the host runs jobs too; `jobs.worker` of the configuration when absent. */
  worker?: boolean;
}

export interface RunningHost {
  app: FastifyInstance;
  runtime: Runtime;
  kernel: Kernel;
  loaded: LoadedHostConfig;
  url: string;
  /** The reference CRM started inside the host, when the configuration asks for it. */
  referenceCrm?: CrmServer;
  /** Configured connectors that could not be built at start-up, each with its reason. */
  startupProblems: string[];
  /** Whether this host runs jobs itself (else `crmsync worker` processes do). */
  runsJobs: boolean;
  /**
   * Stops accepting, lets requests in flight finish within `host.timeouts.shutdownGraceMs`
   * (then closes their connections), then deactivates the plugins.
   */
  close(): Promise<void>;
}

/** Builds the runtime and serves it over HTTP. */
export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? (env.CRMSYNC_CONFIG || defaultConfigDir);
  const runtime = await createRuntime({ configDir, env, logger: options.logger });
  const { config } = runtime;
  let app: FastifyInstance;
  try {
    await createFirstAdminFromEnv(runtime.services.access, env, runtime.logger);
    app = await buildApp(runtime, options.worker === undefined ? {} : { worker: options.worker });
  } catch (error) {
    await runtime.dispose().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const closed = app.close();
      const grace = setTimeout(() => app.server.closeAllConnections(), config.host.timeouts.shutdownGraceMs);
      await closed.finally(() => clearTimeout(grace));
      await runtime.dispose();
    })();
    return closing;
  };
  try {
    const url = await listenOn(
      'crmsync',
      `${config.host.address}:${config.host.port}`,
      'PORT or host.port',
      () => app.listen({ port: config.host.port, host: config.host.address }),
    );
    return {
      app,
      runtime,
      kernel: runtime.kernel,
      loaded: runtime.loaded,
      url,
      referenceCrm: runtime.referenceCrm,
      startupProblems: runtime.startupProblems,
      runsJobs: options.worker ?? config.jobs.worker,
      close,
    };
  } catch (error) {
    // Whatever started must stop again: plugins deactivate, the reference CRM closes.
    await close().catch(() => undefined);
    throw error;
  }
}
