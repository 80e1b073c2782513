import { ApiError, api } from './http';
import type { Job } from './types';

export const readJob = (jobId: string) => api<Job>('GET', `/jobs/${encodeURIComponent(jobId)}`);
export const jobEventsUrl = (jobId: string) => `/api/v1/jobs/${encodeURIComponent(jobId)}/events`;

const active = (state: Job['state']) => state === 'queued' || state === 'running';

/**
 * Follows a job (a commit, a sync run, a plan being built) to its end: progress from the job's Server-Sent Events, and
 * the job read once more at the end. Should the event stream break (a proxy that buffers it),
 * the job is asked for once a second instead.
 */
export function followJob(jobId: string, onProgress: (job: Job) => void): Promise<Job> {
  return new Promise((resolve, reject) => {
    let polling = false;
    const events = new EventSource(jobEventsUrl(jobId));
    const finish = () => {
      events.close();
      readJob(jobId).then(resolve, reject);
    };
    const read = (event: MessageEvent<string>): Job => JSON.parse(event.data) as Job;
    events.addEventListener('progress', (event) => onProgress(read(event as MessageEvent<string>)));
    events.addEventListener('end', (event) => {
      onProgress(read(event as MessageEvent<string>));
      finish();
    });
    events.onerror = () => {
      if (polling || events.readyState !== EventSource.CLOSED) return;
      polling = true;
      const poll = async () => {
        try {
          const now = await readJob(jobId);
          onProgress(now);
          if (active(now.state)) setTimeout(poll, 1000);
          else resolve(now);
        } catch (error) {
          reject(error);
        }
      };
      void poll();
    };
  });
}

/** A job that ended without success, as the error the page shows. */
export function failureOf(job: Job): ApiError {
  return new ApiError(
    0,
    job.error?.code ?? `JOB_${job.state.toUpperCase()}`,
    job.error?.message ?? job.state,
  );
}
