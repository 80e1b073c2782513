import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { openStateStore, type PlanHeader, type StateStore } from '../../core/index.js';
import { type JobData, JobHandlers } from '../../host/jobs/job-handlers.js';
import type { Runtime } from '../../host/runtime.js';
import { JobRunner, type JobView } from '../../host/server/jobs/job-runner.js';

describe('The job runner', () => {
  let dir: string;
  let store: StateStore;
  let runner: JobRunner;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crmsync-jobs-'));
    store = await openStateStore({ kind: 'sqlite', file: join(dir, 'state.db') });
    runner = new JobRunner(store);
  });
  afterEach(async () => {
    await runner.settled();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let planCount = 0;
  const plan = (accountId: string): Promise<PlanHeader> =>
    store.plans.create({
      id: `plan-${++planCount}`,
      kind: 'export',
      accountId,
      status: 'draft',
      options: {},
      summary: {},
    });

  /** Work that runs until `release` is called, noting when it starts. */
  const gated = (log: string[], name: string) => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const work = async () => {
      log.push(`${name} starts`);
      await released;
      log.push(`${name} ends`);
      return { name };
    };
    return { work, release };
  };

  it('runs one job per account at a time, and jobs of other accounts alongside', async () => {
    const log: string[] = [];
    const first = gated(log, 'first');
    const second = gated(log, 'second');
    const other = gated(log, 'other');
    await runner.start(await plan('vcard-file:/a'), 'export-commit', first.work);
    const queued = await runner.start(await plan('vcard-file:/a'), 'export-commit', second.work);
    const alongside = await runner.start(await plan('vcard-file:/b'), 'export-commit', other.work);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).to.deep.equal(['first starts', 'other starts']);
    expect((await runner.get(queued.id))?.state).to.equal('queued');

    first.release();
    other.release();
    await runner.ended(alongside.id);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).to.include('second starts');
    second.release();
    await runner.ended(queued.id);
    expect(await runner.get(queued.id)).to.deep.include({ state: 'done', result: { name: 'second' } });
  });

  it('refuses a second job for a plan whose job has not ended', async () => {
    const { work, release } = gated([], 'only');
    const header = await plan('vcard-file:/a');
    await runner.start(header, 'export-commit', work);
    const error = await runner.start(header, 'export-commit', work).catch((e: Error) => e);
    expect(error).to.have.property('code', 'CRMSYNC_ERR_PLAN_STATE');
    release();
  });

  it('records a failed job with its error, and the next job of the account still runs', async () => {
    const failing = await runner.start(await plan('vcard-file:/a'), 'export-commit', async () => {
      throw new Error('the folder went away');
    });
    const next = await runner.start(await plan('vcard-file:/a'), 'export-commit', async () => ({ ok: true }));
    await runner.settled();
    expect(await runner.get(failing.id)).to.deep.include({ state: 'failed' });
    expect((await runner.get(failing.id))?.error?.message).to.contain('the folder went away');
    expect((await runner.get(next.id))?.state).to.equal('done');
    // What another process (after a restart) reads from the store.
    expect(await new JobRunner(store).get(failing.id)).to.deep.include({ state: 'failed' });
  });

  it('runs a job given as data by the handler registered for its kind, and refuses a kind nobody handles', async () => {
    const seen: JobData[] = [];
    const handlers = new JobHandlers().register('greeting', async (job, { progress }) => {
      seen.push(job);
      progress(1, 1);
      return { result: { greeted: job.options?.name } };
    });
    const byKind = new JobRunner(store, undefined, { handlers, runtime: {} as Runtime });
    const header = await plan('vcard-file:/a');
    const job = await byKind.start(header, 'greeting', { name: 'Anna' });
    await byKind.ended(job.id);
    expect(seen).to.deep.equal([
      { kind: 'greeting', accountId: 'vcard-file:/a', planId: header.id, options: { name: 'Anna' } },
    ]);
    expect(await byKind.get(job.id)).to.deep.include({
      state: 'done',
      result: { greeted: 'Anna' },
      progress: { done: 1, total: 1 },
    });
    const unknown = await byKind.start(await plan('vcard-file:/a'), 'no-such-kind').catch((e: Error) => e);
    expect(unknown).to.have.property('code', 'CRMSYNC_ERR_REQUEST_INVALID');
  });

  it('tells its followers every change until the job ends', async () => {
    const seen: JobView[] = [];
    const header = await plan('vcard-file:/a');
    const { work, release } = gated([], 'followed');
    const job = await runner.start(header, 'export-commit', async (progress) => {
      const result = await work();
      progress(1, 2);
      progress(2, 2);
      return result;
    });
    runner.follow(job.id, (view) => seen.push(view));
    release();
    await runner.ended(job.id);
    expect(seen.map((view) => view.state)).to.deep.equal(['running', 'running', 'done']);
    expect(seen.at(-1)).to.deep.include({ state: 'done', progress: { done: 2, total: 2 } });
  });
});
