import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { repoRoot } from '../support/paths.js';
import { EngineWorld } from './support/engine-world.js';

const commitProcess = join(repoRoot, 'dist', 'test', 'engine', 'support', 'commit-process.js');

// A test that fails half-way must not leave commit processes running.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts a crmsync process committing the plan; resolves once it is about to write. */
function startCommit(
  world: EngineWorld,
  planId: string,
): Promise<{ child: ChildProcess; exited: Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, [commitProcess, world.configDir, planId], {
    env: { ...process.env, ...world.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('committing')) resolve({ child, exited, output: () => output });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then((code) =>
      reject(new Error(`the commit process ended (${code}) before committing:\n${output}`)),
    );
  });
}

function lastProgress(output: string): number {
  return Number([...output.matchAll(/progress (\d+)\//g)].at(-1)?.[1] ?? 0);
}

/** Resolves true when the process ended by itself before `target` items were done. */
async function untilProgress(
  output: () => string,
  exited: Promise<number | null>,
  target: number,
): Promise<boolean> {
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  while (!ended && lastProgress(output()) < target) await new Promise((resolve) => setTimeout(resolve, 2));
  return ended;
}

/** A small seeded generator, so a failing run can be repeated with its kill times. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('A commit process killed at random moments and started again', function () {
  this.timeout(180_000);
  let world: EngineWorld;
  before(async () => {
    world = await EngineWorld.open();
  });
  after(async () => world?.close());

  it('leaves every contact exactly once in the folder, linked to its card', async () => {
    world.addPartner({ id: 'GP-0001', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
    const crmIds = Array.from(
      { length: 150 },
      (_, at) =>
        world.addCrmContact({
          partnerId: 'GP-0001',
          firstName: 'Eva',
          lastName: `Kunde${at}`,
          emails: [{ address: `eva.kunde${at}@kaiser.de`, kind: 'work' }],
          groupwareSync: at % 5 !== 0,
        }).id,
    );
    const plan = await world.plans.createExportPlan({});
    await world.plans.select(plan.id, 'all', true);
    // This process only checks the outcome; the commits run in processes of their own.
    await world.runtime.dispose();

    const random = seeded(Number(process.env.CRMSYNC_KILL_SEED ?? 20_261_129));
    // Each process is killed once the commit has passed a random number of items, plus a few
    // random milliseconds, so the kill lands mid-write whatever the speed of the machine.
    const kills: string[] = [];
    const reached: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const { child, exited, output } = await startCommit(world, plan.id);
      const target = 1 + Math.floor(random() * 148);
      const extra = Math.floor(random() * 20);
      kills.push(`${target} items + ${extra} ms`);
      const finished = await untilProgress(output, exited, target);
      if (finished) break;
      await new Promise((resolve) => setTimeout(resolve, extra));
      child.kill('SIGKILL');
      await exited;
      reached.push(lastProgress(output()));
    }
    // The kills must have met a commit at work, not one that had finished or not yet begun.
    expect(
      reached.some((done) => done > 0 && done < 150),
      `items done when killed: ${reached.join(', ')}`,
    ).to.equal(true);
    const { exited } = await startCommit(world, plan.id);
    expect(await exited, `killed after ${kills.join('; ')}`).to.equal(0);

    await world.restart();
    const cards = await world.groupwareContacts();
    expect(cards.map((card) => card.ids.crmId).sort(), `killed after ${kills.join('; ')}`).to.deep.equal(
      [...crmIds].sort(),
    );
    for (const card of cards) {
      const link = await world.store.links.get(plan.accountId, { crmId: card.ids.crmId! });
      expect(link?.groupwareId).to.equal(card.ids.groupwareId);
    }
    const crm = await world.crmContacts();
    expect(crm.every((contact) => contact.groupwareSync)).to.equal(true);
    expect((await world.plans.get(plan.id)).summary.committed).to.deep.include({ done: 150, failed: 0 });
  });
});
