import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStateStore, type StateStore } from '../../../core/index.js';
import { EngineWorld } from '../../engine/support/engine-world.js';
import { type Answer, send } from '../../host/support/send.js';
import { type CrmsyncProcess, startCrmsyncProcess } from '../../support/host-process.js';
import { createTestDatabase } from '../../support/postgres.js';

const crmsync = join('dist', 'host', 'cli', 'crmsync.js');

/**
 * Short waits, so a test sees a worker take over within seconds: workers poll twice a second,
 * retry after a second, a worker that stops renewing its account's turn for three seconds (it
 * died) loses its job to another, and one stopped with SIGTERM hands its job back at once.
 */
export const quickJobs = {
  pollingSeconds: 0.5,
  retryDelaySeconds: 1,
  leaseSeconds: 3,
  shutdownGraceSeconds: 0,
};

/**
 * crmsync as several machines run it: the engine's world (reference CRM, vCard folder) with
 * the state store and job queue in a PostgreSQL database of its own (dropped at the end), and
 * hosts and workers as separate `crmsync` processes on the same configuration. The world's
 * own runtime is one more process on the same store, to seed plans and read what was written.
 */
export class QueueWorld {
  private readonly processes = new Set<CrmsyncProcess>();

  private constructor(
    readonly world: EngineWorld,
    private readonly database: { url: string; drop(): Promise<void> },
  ) {}

  static async open(settings: { jobs?: Record<string, unknown>; sync?: Record<string, unknown> } = {}) {
    const database = await createTestDatabase();
    try {
      const world = await EngineWorld.open('vcard', {
        postgresUrl: database.url,
        settings: {
          jobs: { ...quickJobs, ...settings.jobs },
          ...(settings.sync ? { sync: settings.sync } : {}),
        },
      });
      return new QueueWorld(world, database);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  /** The world's database, for reading what the queue keeps in it. */
  get databaseUrl(): string {
    return this.database.url;
  }

  get store(): StateStore {
    return this.world.store;
  }

  /** `crmsync serve` in a process of its own; answers its URL. */
  async host(...args: string[]): Promise<{ url: string; process: CrmsyncProcess }> {
    const started = await this.start(['serve', ...args], /crmsync is listening on (http:\/\/\S+)/);
    return { url: started.match[1]!, process: started };
  }

  /** `crmsync worker` in a process of its own, once it fetches jobs. */
  worker(...args: string[]): Promise<CrmsyncProcess> {
    return this.start(['worker', ...args], /crmsync worker is running as (\S+),/);
  }

  private async start(args: string[], ready: RegExp): Promise<CrmsyncProcess> {
    const started = await startCrmsyncProcess(
      [crmsync, ...args, '--config', this.world.configDir],
      this.world.env,
      ready,
      60_000,
    );
    this.processes.add(started);
    void started.exited.then(() => this.processes.delete(started));
    return started;
  }

  /** A state store of this world opened anew, as one more process would. */
  openStore(): Promise<StateStore> {
    return openStateStore({ kind: 'postgres', url: this.database.url });
  }

  async close(): Promise<void> {
    for (const started of this.processes) started.child.kill('SIGKILL');
    await Promise.all([...this.processes].map((started) => started.exited));
    await this.world.close();
    if (!process.env.KEEP_DB) await this.database.drop();
  }
}

/** A JSON request to a host; `body` undefined sends none. */
export function call(url: string, method: string, path: string, body?: unknown): Promise<Answer> {
  return send(`${url}/api/v1${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

/** Waits until `check` answers something other than undefined; fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(100);
  }
}
