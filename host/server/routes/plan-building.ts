import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type BuildOptions, errorFromProblem, type PlanHeader, type Services } from '../../../core/index.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { planView } from './plans.js';

export interface PlanBuilding {
  services: Services;
  jobs: JobRunner;
  /** host.timeouts.planAnswerMs: how long the request waits for the plan, unless the client prefers otherwise. */
  answerMs: number;
}

/** The longest a client may ask to wait with `Prefer: wait=N`. */
const longestWaitMs = 60_000;

/**
 * How long the client would wait for the plan (RFC 7240): `wait=N` seconds, none with
 * `respond-async` alone, else the host's setting.
 */
export function preferredWaitMs(prefer: string | string[] | undefined, answerMs: number): number {
  const preferences = [prefer ?? []]
    .flat()
    .flatMap((header) => header.split(','))
    .map((preference) => preference.trim().toLowerCase());
  const wait = preferences.map((preference) => /^wait\s*=\s*(\d+)$/.exec(preference)?.[1]).find(Boolean);
  if (wait !== undefined) return Math.min(Number(wait) * 1000, longestWaitMs);
  return preferences.includes('respond-async') ? 0 : answerMs;
}

/**
 * Builds a plan just opened as a job (kind `export-plan` or `import-plan`) and answers the
 * request that opened it: 201 with the plan when it is built within the wait, as a small plan
 * is; else 202 with the plan still `building`, its counts so far and its job, `Location`
 * naming the job, whose events tell the contacts read (`total`) and classified (`done`).
 * A build that fails within the wait is answered with its error, as a request that failed.
 */
export async function answerPlanBuilding(
  request: FastifyRequest,
  reply: FastifyReply,
  { services, jobs, answerMs }: PlanBuilding,
  plan: PlanHeader,
  build: (options: BuildOptions) => Promise<PlanHeader>,
): Promise<FastifyReply> {
  await jobs.start(plan, `${plan.kind}-plan`, async (progress) => {
    const built = await build({ onProgress: ({ read, classified }) => progress(classified, read) });
    return built.summary;
  });
  const waitMs = preferredWaitMs(request.headers.prefer, answerMs);
  if (waitMs > 0) {
    const done = new AbortController();
    await Promise.race([
      jobs.ended(plan.id),
      sleep(waitMs, undefined, { signal: done.signal }).catch(() => {}),
    ]);
    done.abort();
  }
  const job = (await jobs.get(plan.id))!;
  if (job.state === 'failed' && job.error) throw errorFromProblem(job.error);
  const now = await services.plans.get(plan.id);
  if (job.state === 'done')
    return reply
      .status(201)
      .header('location', `/api/v1/plans/${plan.id}`)
      .send(await planView(services, now));
  return reply
    .status(202)
    .header('location', `/api/v1/jobs/${job.id}`)
    .send({ ...(await planView(services, now)), job });
}
