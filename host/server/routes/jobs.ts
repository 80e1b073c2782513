import type { FastifyInstance } from 'fastify';
import { CrmsyncError } from '../../../core/index.js';
import { isActiveState, type JobRunner, type JobView } from '../jobs/job-runner.js';
import { errorAnswers, jobSchema } from './api-schemas.js';
import { jobEventsAnswer } from './streamed-schemas.js';

const jobParams = {
  type: 'object',
  required: ['jobId'],
  properties: { jobId: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

/** Comments keep proxies from closing a quiet stream while a long commit works. */
const keepAliveMs = 15_000;

/**
 * `GET /jobs/:jobId`: a commit or sync run's state, progress and, once finished, its result
 * (kept with its plan, so it is still there after a restart). `GET /jobs/:jobId/events`: the
 * same as Server-Sent Events, one `progress` event per change and an `end` event with the
 * final state; a job already finished answers with its `end` event at once.
 */
export async function jobRoutes(app: FastifyInstance, options: { jobs: JobRunner }): Promise<void> {
  const { jobs } = options;
  const jobOf = async (jobId: string): Promise<JobView> => {
    const job = await jobs.get(jobId);
    if (!job)
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no job ${jobId}`, { recordId: jobId });
    return job;
  };

  app.get<{ Params: { jobId: string } }>(
    '/jobs/:jobId',
    {
      schema: {
        summary: "A job's state, progress and result",
        params: jobParams,
        response: { 200: jobSchema, ...errorAnswers },
      },
    },
    async (request) => jobOf(request.params.jobId),
  );

  app.get<{ Params: { jobId: string } }>(
    '/jobs/:jobId/events',
    {
      schema: {
        summary: "A job's progress as Server-Sent Events",
        params: jobParams,
        response: { 200: jobEventsAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const first = await jobOf(request.params.jobId);
      // The stream is quiet between events by design; the comments below keep it alive.
      request.raw.socket?.setTimeout(0);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const send = (view: JobView) => {
        const ended = !isActiveState(view.state);
        raw.write(`event: ${ended ? 'end' : 'progress'}\ndata: ${JSON.stringify(view)}\n\n`);
        return ended;
      };
      if (send(first)) return raw.end();
      const keepAlive = setInterval(() => raw.write(': still working\n\n'), keepAliveMs);
      const stop = jobs.follow(
        first.id,
        (view) => {
          if (send(view)) finish();
        },
        first,
      );
      const finish = () => {
        clearInterval(keepAlive);
        stop();
        if (!raw.writableEnded) raw.end();
      };
      raw.once('close', finish);
      // The job may have ended between reading it and following it.
      const now = await jobOf(first.id);
      if (!isActiveState(now.state) && !raw.writableEnded) {
        send(now);
        finish();
      }
    },
  );
}
