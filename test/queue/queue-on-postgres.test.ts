import { expect } from 'chai';
import pg from 'pg';
import type { JobView } from '../../host/jobs/job-records.js';
import { readEvents } from '../api/support/api-world.js';
import { runCli } from '../cli/support/cli-world.js';
import { send } from '../host/support/send.js';
import type { CrmsyncProcess } from '../support/host-process.js';
import { call, QueueWorld, until } from './support/queue-world.js';

/** The job as a host answers it. */
async function jobOf(url: string, jobId: string): Promise<JobView> {
  const answer = await call(url, 'GET', `/jobs/${jobId}`);
  expect(answer.status, answer.text).to.equal(200);
  return answer.json();
}

async function ended(url: string, jobId: string, timeoutMs = 40_000): Promise<JobView> {
  let last: JobView | undefined;
  try {
    return await until(
      `job ${jobId} ending`,
      async () => {
        last = await jobOf(url, jobId);
        return last.state === 'done' || last.state === 'failed' ? last : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; it was last ${JSON.stringify(last)}`);
  }
}

describe('Jobs on the PostgreSQL queue, with hosts and workers in processes of their own', function () {
  this.timeout(120_000);
  let q: QueueWorld;
  let host: string;
  let hostProcess: CrmsyncProcess;
  const workers: CrmsyncProcess[] = [];
  const nameOf = (worker: CrmsyncProcess) => worker.match[1]!;

  before(async () => {
    q = await QueueWorld.open();
    q.world.addPartner({ id: 'GP-0001', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
    q.world.addPartner({ id: 'GP-0002', name: 'Brandt AG', emailDomains: ['brandt.de'] });
    q.world.addPartner({ id: 'GP-0003', name: 'Lorenz OHG', emailDomains: ['lorenz.de'] });
    const [started, ...both] = await Promise.all([q.host('--no-worker'), q.worker(), q.worker()]);
    host = started.url;
    hostProcess = started.process;
    workers.push(...both);
  });
  after(async () => q?.close());
  afterEach(function () {
    q.world.crmServer.faults.clear();
    if (this.currentTest?.state !== 'failed') return;
    for (const worker of workers) console.log(`--- ${nameOf(worker)}\n${worker.output().slice(-6000)}`);
  });

  /** Cards without CRM id in the folder, for an import: `count` people at kaiser.de. */
  const newCards = (tag: string, count: number) =>
    Array.from({ length: count }, (_, at) =>
      q.world.side.add({
        givenName: 'Eva',
        surname: `${tag}${at}`,
        email: `eva.${tag.toLowerCase()}${at}@kaiser.de`,
      }),
    );

  const importAll = async (): Promise<string> => {
    const created = await call(host, 'POST', '/import-plans', {});
    expect(created.status, created.text).to.equal(201);
    const { plan } = created.json();
    await call(host, 'POST', `/plans/${plan.id}/selection`, { items: 'all', selected: true });
    const commit = await call(host, 'POST', `/plans/${plan.id}/commit`);
    expect(commit.status, commit.text).to.equal(202);
    return commit.json().id;
  };

  /**
   * Every card of an import (`tag`) is in the folder once and carries a CRM id, no two the
   * same; the CRM holds each of them once.
   */
  const expectEachContactOnceOnEachSide = async (tag: string, count: number) => {
    const ofTag = (surname: string | undefined) => new RegExp(`^${tag}\\d+$`).test(surname ?? '');
    const cards = (await q.world.groupwareContacts()).filter((card) => ofTag(card.surname));
    expect(cards).to.have.length(count);
    const crmIds = cards.map((card) => card.ids.crmId);
    expect(
      crmIds.filter((id) => !id),
      'cards without CRM id',
    ).to.deep.equal([]);
    expect(new Set(crmIds).size, 'cards sharing a CRM id').to.equal(count);
    const crm = (await q.world.crmContacts()).filter((contact) => ofTag(contact.surname));
    expect(crm.map((contact) => contact.ids.crmId).sort(), 'the CRM holds each once').to.deep.equal(
      [...(crmIds as string[])].sort(),
    );
  };

  it('lets a host that only serves the API and a worker elsewhere carry an import wizard to its end', async () => {
    newCards('Wizard', 30);
    const jobId = await importAll();
    const { status, events } = await readEvents(`${host}/api/v1/jobs/${jobId}/events`);
    expect(status).to.equal(200);
    const end = events.at(-1)!;
    expect(end.event).to.equal('end');
    expect(end.data.state).to.equal('done');
    expect(end.data.result).to.deep.include({ imported: 30, notImported: [] });
    expect(workers.map(nameOf), 'the job ran in a worker').to.include(end.data.worker);
    expect(
      events.some((event) => event.event === 'progress' && event.data.state === 'running'),
      'progress reached the host while the worker ran the job',
    ).to.equal(true);
    await expectEachContactOnceOnEachSide('Wizard', 30);

    const ready = await send(`${host}/health/ready`);
    expect(ready.status, ready.text).to.equal(200);
    expect(ready.json()).to.deep.include({
      database: { ok: true, kind: 'postgres' },
      queue: { ok: true, kind: 'pg-boss', depth: 0, worker: false },
    });
  });

  it('keeps the address of its database secret, and the command line sees the same runs', async () => {
    const config = (await call(host, 'GET', '/config')).json();
    expect(config.store).to.deep.include({ kind: 'postgres', postgresUrl: '[redacted]' });
    const runs = await runCli(
      ['runs', '--kind', 'import', '--json', '--config', q.world.configDir],
      q.world.env,
    );
    expect(runs.code, runs.stderr).to.equal(0);
    const [latest] = JSON.parse(runs.stdout).runs;
    expect(latest).to.deep.include({ kind: 'import', status: 'committed' });
    expect(latest.summary.job).to.deep.include({ state: 'done' });
    const password = new URL(q.databaseUrl).password;
    for (const output of [runs.stdout, runs.stderr, hostProcess.output(), ...workers.map((w) => w.output())])
      expect(output).not.to.contain(password);
  });

  it('runs two jobs of one account one after the other, though two workers fetched them at once', async () => {
    for (const [partnerId, tag] of [
      ['GP-0002', 'Kern'],
      ['GP-0003', 'Lamm'],
    ] as const)
      for (let at = 0; at < 30; at++)
        q.world.addCrmContact({ partnerId, firstName: 'Ida', lastName: `${tag}${at}`, groupwareSync: false });
    const jobIds: string[] = [];
    for (const partnerId of ['GP-0002', 'GP-0003']) {
      const created = await call(host, 'POST', '/export-plans', { criteria: { partnerId } });
      const { plan } = created.json();
      expect(plan.summary.found).to.equal(30);
      await call(host, 'POST', `/plans/${plan.id}/selection`, { items: 'all', selected: true });
      jobIds.push(plan.id);
    }
    for (const planId of jobIds)
      expect((await call(host, 'POST', `/plans/${planId}/commit`)).status).to.equal(202);

    const [first, second] = (await Promise.all(jobIds.map((id) => ended(host, id)))).sort(
      (a, b) => a.startedAt! - b.startedAt!,
    );
    expect([first!.state, second!.state]).to.deep.equal(['done', 'done']);
    expect(second!.startedAt, 'the second started only after the first ended').to.be.at.least(
      first!.finishedAt!,
    );
    expect(
      (first!.deferrals ?? 0) + (second!.deferrals ?? 0),
      'a worker fetched a job while the other ran the account',
    ).to.be.at.least(1);
    const cards = await q.world.groupwareContacts();
    const exported = cards.filter((card) => /^(Kern|Lamm)\d+$/.test(card.surname ?? ''));
    expect(exported).to.have.length(60);
    expect(new Set(exported.map((card) => card.ids.crmId)).size).to.equal(60);
  });

  /**
   * Holds the job's CRM writes after the first `after`, so that its worker is surely in the
   * middle of the commit, a write in flight, when the test stops it; the writes after the
   * hold are answered slowly, so the job cannot race to its end before the worker stops.
   */
  const holdCrmWrites = (after: number) => {
    const faults = q.world.crmServer.faults;
    faults.enqueue({ delayMs: 50, method: 'POST', pathPrefix: '/api/v1/contacts', times: 60 });
    return faults.hold({ method: 'POST', pathPrefix: '/api/v1/contacts', after });
  };

  /** The job once its worker waits on a held write, with the worker running it. */
  const heldAtWork = async (jobId: string, hold: { held: number }) => {
    const running = await until(
      'a write of the job held in flight',
      async () => {
        if (hold.held === 0) return undefined;
        const job = await jobOf(host, jobId);
        return job.state === 'running' ? job : undefined;
      },
      40_000,
    );
    const worker = workers.find((candidate) => nameOf(candidate) === running.worker);
    expect(worker, `the job runs in ${running.worker}, one of ${workers.map(nameOf)}`).to.not.equal(
      undefined,
    );
    return worker!;
  };

  it('finishes the job of a worker killed in the middle of a commit in another worker, each contact once', async () => {
    newCards('Killed', 60);
    const hold = holdCrmWrites(5 + Math.floor(Math.random() * 35));
    const jobId = await importAll();
    const victim = await heldAtWork(jobId, hold);
    await victim.stop('SIGKILL');
    workers.splice(workers.indexOf(victim), 1);
    // The write the dead worker sent reaches the CRM after all, as a request in flight would.
    hold.release();
    const replacement = q.worker();

    const done = await ended(host, jobId);
    workers.push(await replacement);
    expect(done.state, JSON.stringify(done.error)).to.equal('done');
    expect(done.worker, 'finished by a worker still alive').to.be.oneOf(workers.map(nameOf));
    expect(done.result).to.deep.include({ imported: 60, notImported: [] });
    await expectEachContactOnceOnEachSide('Killed', 60);
  });

  it('lets a worker stopped with SIGTERM hand its job back, and another finishes it', async () => {
    newCards('Stopped', 60);
    const hold = holdCrmWrites(10);
    const jobId = await importAll();
    const stopping = await heldAtWork(jobId, hold);
    const exited = stopping.stop('SIGTERM');
    await until('the worker stopping', async () =>
      stopping.output().includes('stopping: jobs at work finish or are handed back') ? true : undefined,
    );
    // The worker stops at the answer to the write it waits for, and sends no other.
    hold.release();
    expect(await exited, 'a worker that stops on SIGTERM exits 0').to.equal(0);
    workers.splice(workers.indexOf(stopping), 1);
    expect(stopping.output()).not.to.contain('did not stop at a write');
    const writtenBeforeStop = (await q.world.crmContacts()).filter((contact) =>
      /^Stopped\d+$/.test(contact.surname ?? ''),
    );
    expect(writtenBeforeStop.length, 'the stopped worker wrote no more than it had in flight').to.be.below(
      60,
    );
    const done = await ended(host, jobId);
    expect(done.state, JSON.stringify(done.error)).to.equal('done');
    expect(done.worker, 'finished by the other worker').to.equal(nameOf(workers[0]!));
    expect(done.result).to.deep.include({ imported: 60 });
    await expectEachContactOnceOnEachSide('Stopped', 60);
    workers.push(await q.worker());
  });
});

describe('Scheduled syncs on the PostgreSQL queue', function () {
  this.timeout(120_000);
  let q: QueueWorld;
  before(async () => {
    q = await QueueWorld.open({ sync: { everyMinutes: 0.05 } });
  });
  after(async () => q?.close());

  it('syncs the account every interval, once per interval however many workers ask, retrying a passing failure', async () => {
    q.world.addPartner({ id: 'GP-0001', name: 'Kaiser KG' });
    for (let at = 0; at < 5; at++) q.world.addCrmContact({ partnerId: 'GP-0001', lastName: `Plan${at}` });
    // The first read of the CRM's changes is refused with a wait too long to sit out: the run fails, and is retried.
    q.world.crmServer.faults.enqueue({
      status: 503,
      retryAfter: '120',
      pathPrefix: '/api/v1/contacts/changes',
    });
    const watched = await Promise.all([q.worker('--port', '0'), q.worker('--port', '0')]);

    const runs = await until('two scheduled sync runs', async () => {
      const committed = (await q.store.plans.list({ kind: 'sync' })).filter(
        (plan) => (plan.summary.job as JobView | undefined)?.state === 'done',
      );
      return committed.length >= 2 ? committed.reverse() : undefined;
    });
    expect(runs[0]!.summary.written).to.deep.equal({ crm: 0, groupware: 5 });
    expect(runs[1]!.summary.written, 'nothing changed since').to.deep.equal({ crm: 0, groupware: 0 });
    expect(runs[0]!.summary.job).to.deep.include({ kind: 'sync-scheduled', state: 'done' });
    expect((await q.world.groupwareContacts()).map((card) => card.surname).sort()).to.deep.equal([
      'Plan0',
      'Plan1',
      'Plan2',
      'Plan3',
      'Plan4',
    ]);

    const client = new pg.Client({ connectionString: q.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ slot: string; asked: string; retries: number }>(
        `select data->'options'->>'slot' as slot, count(*) as asked, max(retry_count) as retries
           from pgboss.job where data->>'kind' = 'sync-scheduled' and data->>'deferrals' is null
          group by 1 order by 1`,
      );
      expect(rows.length).to.be.at.least(2);
      expect(
        rows.map((row) => Number(row.asked)),
        'scheduled syncs per interval',
      ).to.satisfy((counts: number[]) => counts.every((count) => count === 1));
      expect(rows[0]!.retries, 'the first run was retried after the CRM refused').to.be.at.least(1);
    } finally {
      await client.end();
    }

    // Each worker answers probes and scrapers: the database, the queue, the jobs it ran per account.
    const account = runs[0]!.accountId;
    let doneHere = 0;
    for (const worker of watched) {
      const url = /health and metrics on (http:\/\/\S+)/.exec(worker.output())![1]!;
      const ready = (await send(`${url}/health/ready`)).json();
      expect(ready).to.deep.include({ ready: true, database: { ok: true, kind: 'postgres' } });
      expect(ready.queue).to.deep.include({ ok: true, kind: 'pg-boss', worker: true });
      const metrics = (await send(`${url}/metrics`)).text;
      expect(metrics).to.match(/^crmsync_queue_depth \d+$/m);
      const done = new RegExp(
        `^crmsync_account_jobs_total\\{account="${account}",state="done"\\} (\\d+)$`,
        'm',
      );
      doneHere += Number(done.exec(metrics)?.[1] ?? 0);
    }
    expect(doneHere, 'scheduled runs counted by the workers that ran them').to.be.at.least(2);
  });
});
