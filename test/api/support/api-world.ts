import { request } from 'node:http';
import { type RunningHost, startHost } from '../../../host/boot.js';
import { EngineWorld } from '../../engine/support/engine-world.js';
import type { GroupwareKind } from '../../engine/support/groupware/groupware-side.js';
import { type Answer, send } from '../../host/support/send.js';

/**
 * The engine's world (reference CRM, vCard folder, SQLite store) served by a real listening
 * host: the tests drive it over HTTP as the web client would, and read the CRM and the
 * folder directly to see what the API did.
 */
export class ApiWorld {
  private constructor(
    readonly world: EngineWorld,
    public host: RunningHost,
  ) {}

  /**
   * `accounts`: that many groupware accounts; `planAnswerMs: 0` answers every new plan 202,
   * still building, as a large one is; `settings`: more of the host configuration (`jobs`, `sync`).
   */
  static async open(
    kind: GroupwareKind = 'vcard',
    options: { accounts?: number; planAnswerMs?: number; settings?: Record<string, unknown> } = {},
  ): Promise<ApiWorld> {
    // The host builds the world's runtime on its folders and store.
    const world = await EngineWorld.open(kind, { ...options, startRuntime: false });
    const host = await startHost({ configDir: world.configDir, env: world.env, logger: false });
    world.runtime = host.runtime;
    await world.expectConfiguredGroupware();
    return new ApiWorld(world, host);
  }

  /** As after a crash or a reboot: a new host on the same folders and store. */
  async restart(): Promise<void> {
    await this.host.close();
    this.host = await startHost({ configDir: this.world.configDir, env: this.world.env, logger: false });
    this.world.runtime = this.host.runtime;
  }

  async close(): Promise<void> {
    await this.host.close();
    await this.world.close();
  }

  get(path: string): Promise<Answer> {
    return send(`${this.host.url}/api/v1${path}`);
  }

  /** A JSON request; `body` undefined sends none. */
  call(method: string, path: string, body?: unknown): Promise<Answer> {
    return send(`${this.host.url}/api/v1${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  }

  /** Follows a job to its end and answers it as `GET /jobs/:id` then says. */
  async finished(jobId: string): Promise<Answer> {
    await readEvents(`${this.host.url}/api/v1/jobs/${jobId}/events`);
    return this.get(`/jobs/${jobId}`);
  }
}

export interface ServerSentEvent {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on the data of many event kinds
  data: any;
}

/** Reads an event stream with node's http client until the server ends it. */
export function readEvents(
  url: string,
): Promise<{ status: number; contentType: string | undefined; events: ServerSentEvent[] }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { accept: 'text/event-stream' }, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('error', reject);
      response.on('end', () => {
        const events = text
          .split('\n\n')
          .filter((block) => block.startsWith('event:'))
          .map((block) => {
            const [eventLine, dataLine] = block.split('\n');
            return {
              event: eventLine!.slice('event: '.length),
              data: JSON.parse(dataLine!.slice('data: '.length)),
            };
          });
        resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], events });
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
