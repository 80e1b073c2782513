import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import {
  type ContactJson,
  CrmsyncError,
  type IndexedContact,
  type Link,
  openStateStore,
  type StateStore,
  type StateStoreConfig,
} from '../../../core/index.js';
import type { PlanItem } from '../../../core/pipeline/plan.js';
import type { ContenderOrder } from './store-contender.js';
import type { StoreFixture } from './store-fixtures.js';

const runChild = promisify(execFile);
const contenderScript = join(dirname(fileURLToPath(import.meta.url)), 'store-contender.js');

/** Runs one order in a process of its own and answers what it printed. */
async function inAnotherProcess(order: ContenderOrder): Promise<Record<string, unknown>> {
  const { stdout } = await runChild(process.execPath, [contenderScript, JSON.stringify(order)]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}

async function rejection(promise: Promise<unknown>): Promise<CrmsyncError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(CrmsyncError);
    return error as CrmsyncError;
  }
  expect.fail('expected the store to refuse');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function person(surname: string, extra: Partial<ContactJson> = {}): ContactJson {
  return {
    givenName: 'Anna',
    surname,
    emails: [{ address: `${surname.toLowerCase()}@firma.de`, type: 'work' }],
    phones: [],
    addresses: [],
    categories: [],
    ids: {},
    ...extra,
  };
}

function link(crmId: string, groupwareId: string, extra: Partial<Link> = {}): Link {
  return {
    accountId: 'vcard-file:/srv/a',
    crmId,
    groupwareId,
    baseline: person(crmId),
    syncedAt: 1_790_000_000_123,
    ...extra,
  };
}

function item(seq: number, extra: Partial<PlanItem> = {}): PlanItem {
  return { seq, selected: true, action: 'create', reason: 'selected', crmId: `crm-${seq}`, ...extra };
}

const photoA = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const photoB = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 4, 5, 6]);

/**
 * What every state store must do, as the engine and the people using crmsync notice it. Run
 * against each dialect with a fixture that hands out empty stores.
 */
export function stateStoreConformance(makeFixture: () => Promise<StoreFixture>): void {
  let fixture: StoreFixture;
  let config: StateStoreConfig;
  let store: StateStore;

  before(async () => {
    fixture = await makeFixture();
  });
  after(async () => {
    await fixture?.cleanup();
  });
  beforeEach(async () => {
    config = await fixture.fresh();
    store = await openStateStore(config);
  });
  afterEach(async () => {
    await store.close();
  });

  async function restart(): Promise<void> {
    await store.close();
    store = await openStateStore(config);
  }

  describe('links', () => {
    it('keeps a link, with its baseline, versions and photo hash, across a restart', async () => {
      const kept = link('c1', 'g1', {
        crmVersion: '7',
        groupwareVersion: 'ck-3',
        photoHash: 'ab'.repeat(32),
      });
      await store.links.put(kept);
      await restart();
      expect(await store.links.get(kept.accountId, { crmId: 'c1' })).to.deep.equal(kept);
      expect(await store.links.get(kept.accountId, { groupwareId: 'g1' })).to.deep.equal(kept);
    });

    it('keeps the links of two accounts apart', async () => {
      await store.links.put(link('c1', 'g1'));
      await store.links.put(link('c1', 'g9', { accountId: 'outlook-graph:anna@firma.de' }));
      expect((await store.links.get('vcard-file:/srv/a', { crmId: 'c1' }))?.groupwareId).to.equal('g1');
      expect((await store.links.get('outlook-graph:anna@firma.de', { crmId: 'c1' }))?.groupwareId).to.equal(
        'g9',
      );
      expect(await store.links.get('outlook-graph:anna@firma.de', { groupwareId: 'g1' })).to.equal(undefined);
    });

    it('replaces the link of a CRM contact when it is put again, dropping versions it no longer has', async () => {
      await store.links.put(link('c1', 'g1', { crmVersion: '1', photoHash: 'ab'.repeat(32) }));
      await store.links.put(link('c1', 'g2', { crmVersion: '2', baseline: person('Neu') }));
      const now = await store.links.get('vcard-file:/srv/a', { crmId: 'c1' });
      expect(now).to.deep.equal(link('c1', 'g2', { crmVersion: '2', baseline: person('Neu') }));
      expect(await store.links.get('vcard-file:/srv/a', { groupwareId: 'g1' })).to.equal(undefined);
      expect(await store.links.count('vcard-file:/srv/a')).to.equal(1);
    });

    it('refuses to link one groupware contact to a second CRM contact of the same account', async () => {
      await store.links.put(link('c1', 'g1'));
      const error = await rejection(store.links.put(link('c2', 'g1')));
      expect(error.code).to.equal('CRMSYNC_ERR_LINK_CONFLICT');
      expect(error.message).to.contain('g1');
      expect((await store.links.get('vcard-file:/srv/a', { groupwareId: 'g1' }))?.crmId).to.equal('c1');
    });

    it('lists and counts every link of an account in CRM-id order, beyond one page', async () => {
      const ids = Array.from({ length: 1203 }, (_, n) => `c${String(n).padStart(5, '0')}`).reverse();
      await store.transaction(async (scope) => {
        for (const id of ids) await scope.links.put(link(id, `g-${id}`));
        await scope.links.put(link('c00001', 'other', { accountId: 'another' }));
      });
      const listed = await all(store.links.list('vcard-file:/srv/a'));
      expect(listed.map((each) => each.crmId)).to.deep.equal([...ids].sort());
      expect(await store.links.count('vcard-file:/srv/a')).to.equal(1203);
      expect(await store.links.count('nobody')).to.equal(0);
    });

    it('forgets a removed link', async () => {
      await store.links.put(link('c1', 'g1'));
      await store.links.remove('vcard-file:/srv/a', 'c1');
      expect(await store.links.get('vcard-file:/srv/a', { groupwareId: 'g1' })).to.equal(undefined);
      expect(await all(store.links.list('vcard-file:/srv/a'))).to.deep.equal([]);
    });
  });

  describe('transactions', () => {
    it('keeps everything a transaction wrote once it resolves, and hands back its result', async () => {
      const result = await store.transaction(async (scope) => {
        await scope.links.put(link('c1', 'g1'));
        await scope.cursors.put('vcard-file:/srv/a', 'crm', 'cursor-1');
        return 'done';
      });
      expect(result).to.equal('done');
      expect(await store.links.count('vcard-file:/srv/a')).to.equal(1);
      expect(await store.cursors.get('vcard-file:/srv/a', 'crm')).to.equal('cursor-1');
    });

    it('leaves nothing behind of a transaction that failed, and passes its error on', async () => {
      await store.cursors.put('vcard-file:/srv/a', 'crm', 'before');
      const failure = new Error('the CRM went away');
      let caught: unknown;
      try {
        await store.transaction(async (scope) => {
          await scope.links.put(link('c1', 'g1'));
          await scope.cursors.put('vcard-file:/srv/a', 'crm', 'after');
          await scope.plans.create({
            id: 'p1',
            kind: 'sync',
            accountId: 'a',
            status: 'draft',
            options: {},
            summary: {},
          });
          await scope.plans.addItems('p1', [item(0)]);
          await scope.journal.intend({
            planId: 'p1',
            key: 'k1',
            seq: 0,
            side: 'crm',
            operation: 'create',
            intent: {},
          });
          await scope.candidates.upsert([{ crmId: 'c1', contact: person('X'), keys: ['k'] }]);
          throw failure;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.equal(failure);
      expect(await store.links.count('vcard-file:/srv/a')).to.equal(0);
      expect(await store.cursors.get('vcard-file:/srv/a', 'crm')).to.equal('before');
      expect(await store.plans.get('p1')).to.equal(undefined);
      expect(await store.journal.get('k1')).to.equal(undefined);
      expect(await store.candidates.size()).to.equal(0);
    });

    it('refuses the store itself inside a transaction rather than waiting for the transaction for ever', async () => {
      const error = await rejection(
        store.transaction(async () => {
          await store.links.count('vcard-file:/srv/a');
        }),
      );
      expect(error.code).to.equal('CRMSYNC_ERR_STORE_MISUSE');
      const nested = await rejection(store.transaction(() => store.transaction(async () => 1)));
      expect(nested.code).to.equal('CRMSYNC_ERR_STORE_MISUSE');
      expect(await store.links.count('vcard-file:/srv/a'), 'the store works on afterwards').to.equal(0);
    });
  });

  describe('plans', () => {
    const header = {
      id: 'p1',
      kind: 'import',
      accountId: 'acc',
      status: 'draft',
      options: { file: 'a.vcf' },
      summary: {},
    } as const;

    it('keeps a plan header across a restart and merges later summaries and options into it', async () => {
      const created = await store.plans.create({ ...header, options: { ...header.options } });
      expect(created.createdAt).to.be.a('number');
      expect(created.updatedAt).to.equal(created.createdAt);
      await store.plans.update('p1', { summary: { total: 3 } });
      const updated = await store.plans.update('p1', {
        status: 'committing',
        summary: { failed: 1 },
        options: { policy: 'crm-wins' },
      });
      await restart();
      const read = await store.plans.get('p1');
      expect(read).to.deep.equal(updated);
      expect(read).to.include({ status: 'committing', createdAt: created.createdAt });
      expect(read!.summary).to.deep.equal({ total: 3, failed: 1 });
      expect(read!.options).to.deep.equal({ file: 'a.vcf', policy: 'crm-wins' });
      expect(read!.updatedAt).to.be.at.least(created.updatedAt);
    });

    it('refuses a second plan with the same id and an update of a plan that does not exist', async () => {
      await store.plans.create(header);
      expect((await rejection(store.plans.create(header))).code).to.equal('CRMSYNC_ERR_PLAN_EXISTS');
      expect((await rejection(store.plans.update('nope', { status: 'failed' }))).code).to.equal(
        'CRMSYNC_ERR_NOT_FOUND',
      );
    });

    it('keeps every field of an item as it was added, photo hash and verdict included', async () => {
      await store.plans.create(header);
      const full = item(4, {
        crm: person('Krause', { photo: { mediaType: 'image/jpeg', hash: 'cd'.repeat(32) } }),
        groupware: person('Krause'),
        duplicate: { verdict: 'possible', findings: [] },
        partner: { partner: { id: 'bp-1', name: 'Firma GmbH' }, by: 'resolver', reason: 'e-mail domain' },
        changes: { toCrm: { jobTitle: 'Chefin' } },
      });
      await store.plans.addItems('p1', [full]);
      expect(await store.plans.getItem('p1', 4)).to.deep.equal(full);
      expect(await store.plans.getItem('p1', 5)).to.equal(undefined);
    });

    it('refuses items for a plan that does not exist and a second item at the same position', async () => {
      expect((await rejection(store.plans.addItems('nope', [item(0)]))).code).to.equal(
        'CRMSYNC_ERR_NOT_FOUND',
      );
      await store.plans.create(header);
      await store.plans.addItems('p1', [item(0), item(1)]);
      const error = await rejection(store.plans.addItems('p1', [item(2), item(1)]));
      expect(error.code).to.equal('CRMSYNC_ERR_PLAN_ITEM_DUPLICATE');
      expect(await store.plans.getItem('p1', 2), 'the batch is added whole or not at all').to.equal(
        undefined,
      );
    });

    describe('items of a larger plan', () => {
      // 1,000 items: every third unselected, every fifth a sure duplicate, every seventh failed.
      const items = Array.from({ length: 1000 }, (_, seq) =>
        item(seq, {
          selected: seq % 3 !== 0,
          action: seq % 5 === 0 ? 'skip' : 'create',
          reason: seq % 5 === 0 ? 'sure-duplicate' : 'selected',
          ...(seq % 5 === 0 ? { duplicate: { verdict: 'sure' as const, findings: [] } } : {}),
          ...(seq % 7 === 0 ? { outcome: { state: 'failed' as const, message: 'refused by the CRM' } } : {}),
        }),
      );
      const seqsWhere = (test: (each: PlanItem) => boolean) => items.filter(test).map((each) => each.seq);

      beforeEach(async () => {
        await store.plans.create(header);
        await store.plans.addItems('p1', items.slice(0, 400));
        await store.plans.addItems('p1', items.slice(400));
      });

      it('pages through items in position order with the number the filter matches', async () => {
        const page = await store.plans.page('p1', { offset: 10, limit: 5, filter: { selected: false } });
        const unselected = seqsWhere((each) => !each.selected);
        expect(page.total).to.equal(unselected.length);
        expect(page.offset).to.equal(10);
        expect(page.items.map((each) => each.seq)).to.deep.equal(unselected.slice(10, 15));
        const beyond = await store.plans.page('p1', { offset: 990, limit: 50 });
        expect(beyond.items.map((each) => each.seq)).to.deep.equal(seqsWhere((each) => each.seq >= 990));
        expect(beyond.total).to.equal(1000);
      });

      it('filters by action, reason, verdict and outcome, alone and together', async () => {
        const cases = [
          [{ action: 'skip' }, (each: PlanItem) => each.action === 'skip'],
          [{ reason: 'selected' }, (each: PlanItem) => each.reason === 'selected'],
          [{ verdict: 'sure' }, (each: PlanItem) => each.duplicate?.verdict === 'sure'],
          [{ outcome: 'failed' }, (each: PlanItem) => each.outcome?.state === 'failed'],
          [{ outcome: 'none' }, (each: PlanItem) => each.outcome === undefined],
          [
            { selected: true, action: 'skip', outcome: 'failed' },
            (each: PlanItem) => each.selected && each.action === 'skip' && each.outcome?.state === 'failed',
          ],
        ] as const;
        for (const [filter, test] of cases) {
          const page = await store.plans.page('p1', { limit: 2000, filter });
          expect(
            page.items.map((each) => each.seq),
            JSON.stringify(filter),
          ).to.deep.equal(seqsWhere(test));
          expect(page.total, JSON.stringify(filter)).to.equal(seqsWhere(test).length);
        }
      });

      it('streams every matching item in order, across pages', async () => {
        const streamed = await all(store.plans.items('p1', { outcome: 'none' }));
        expect(streamed.map((each) => each.seq)).to.deep.equal(
          seqsWhere((each) => each.outcome === undefined),
        );
        expect(await all(store.plans.items('p1'))).to.have.length(1000);
      });

      it("counts items by list, action, reason, verdict and outcome for the wizard's headline", async () => {
        const counts = await store.plans.counts('p1');
        expect(counts).to.include({
          total: 1000,
          'selected:true': seqsWhere((each) => each.selected).length,
          'selected:false': seqsWhere((each) => !each.selected).length,
          'action:skip': 200,
          'action:create': 800,
          'reason:sure-duplicate': 200,
          'verdict:sure': 200,
          'outcome:failed': 143,
          'outcome:none': 857,
        });
      });

      it('merges a patch into the named items, and filters and counts follow', async () => {
        await store.plans.updateItems('p1', [1, 2, 3], {
          selected: false,
          outcome: { state: 'done', crmId: 'new-id' },
        });
        const changed = await store.plans.getItem('p1', 2);
        expect(changed).to.deep.equal({
          ...items[2],
          selected: false,
          outcome: { state: 'done', crmId: 'new-id' },
        });
        const done = await store.plans.page('p1', { filter: { outcome: 'done' } });
        expect(done.items.map((each) => each.seq)).to.deep.equal([1, 2, 3]);
        expect((await store.plans.counts('p1'))['outcome:done']).to.equal(3);
      });

      it('changes none of the named items when one of them does not exist', async () => {
        const error = await rejection(store.plans.updateItems('p1', [1, 5000], { selected: false }));
        expect(error.code).to.equal('CRMSYNC_ERR_NOT_FOUND');
        expect(error.message).to.contain('5000');
        expect((await store.plans.getItem('p1', 1))?.selected).to.equal(true);
      });

      it('removes a plan with its items and journal', async () => {
        await store.journal.intend({
          planId: 'p1',
          key: 'k1',
          seq: 1,
          side: 'crm',
          operation: 'create',
          intent: {},
        });
        await store.plans.remove('p1');
        expect(await store.plans.get('p1')).to.equal(undefined);
        expect((await store.plans.page('p1', {})).total).to.equal(0);
        expect(await store.journal.get('k1')).to.equal(undefined);
      });
    });

    it('keeps what each of several processes merged into a summary at the same moment', async () => {
      await store.plans.create({ ...header, summary: { total: 3 } });
      const actAt = Date.now() + 1_500;
      const notes = ['first', 'second', 'third'];
      await Promise.all(
        notes.map((note) =>
          inAnotherProcess({ config, actAt, action: 'note-in-summary', planId: 'p1', note }),
        ),
      );
      expect((await store.plans.get('p1'))?.summary).to.deep.equal({
        total: 3,
        first: true,
        second: true,
        third: true,
      });
    });

    it('lists plans newest first, by kind and account, up to the limit', async () => {
      let clock = 0;
      for (const [id, kind, accountId] of [
        ['a', 'import', 'x'],
        ['b', 'export', 'x'],
        ['c', 'import', 'y'],
        ['d', 'import', 'x'],
      ] as const) {
        await store.plans.create({ id, kind, accountId, status: 'draft', options: {}, summary: {} });
        // Creation times must differ for "newest first" to mean something.
        while (Date.now() <= clock + 1) await sleep(2);
        clock = Date.now();
      }
      const ids = (plans: { id: string }[]) => plans.map((plan) => plan.id);
      expect(ids(await store.plans.list({}))).to.deep.equal(['d', 'c', 'b', 'a']);
      expect(ids(await store.plans.list({ kind: 'import', accountId: 'x' }))).to.deep.equal(['d', 'a']);
      expect(ids(await store.plans.list({ kind: 'import', limit: 1 }))).to.deep.equal(['d']);
    });
  });

  describe('cursors', () => {
    it("keeps each side's cursor per account across a restart, until it is replaced or removed", async () => {
      await store.cursors.put('a', 'crm', 'c-1');
      await store.cursors.put('a', 'groupware', 'g-1');
      await store.cursors.put('a', 'crm', 'c-2');
      await store.cursors.put('b', 'crm', 'other');
      await restart();
      expect(await store.cursors.get('a', 'crm')).to.equal('c-2');
      expect(await store.cursors.get('a', 'groupware')).to.equal('g-1');
      await store.cursors.remove('a', 'crm');
      expect(await store.cursors.get('a', 'crm')).to.equal(undefined);
      expect(await store.cursors.get('b', 'crm')).to.equal('other');
    });
  });

  describe('the commit journal', () => {
    beforeEach(async () => {
      await store.plans.create({
        id: 'p1',
        kind: 'sync',
        accountId: 'a',
        status: 'committing',
        options: {},
        summary: {},
      });
    });

    it('records an intent once: a second intent under the same key is refused', async () => {
      const entry = {
        planId: 'p1',
        key: 'p1:0:crm',
        seq: 0,
        side: 'crm',
        operation: 'update',
        intent: { a: 1 },
      } as const;
      await store.journal.intend(entry);
      const error = await rejection(store.journal.intend({ ...entry, intent: { a: 2 } }));
      expect(error.code).to.equal('CRMSYNC_ERR_JOURNAL_DUPLICATE');
      expect((await store.journal.get('p1:0:crm'))?.intent).to.deep.equal({ a: 1 });
    });

    it('keeps the before-image and the outcome of a write across a restart', async () => {
      await store.journal.intend({
        planId: 'p1',
        key: 'k',
        seq: 3,
        side: 'groupware',
        operation: 'photo',
        targetId: 'g-3',
        before: person('Alt'),
        beforePhotoHash: 'ef'.repeat(32),
        intent: { photo: { hash: 'ab'.repeat(32) } },
      });
      const intended = await store.journal.get('k');
      expect(intended).to.include({ state: 'intent', targetId: 'g-3', beforePhotoHash: 'ef'.repeat(32) });
      expect(intended?.outcome).to.equal(undefined);
      await store.journal.settle('k', 'done', { version: 'ck-9' });
      await restart();
      const settled = await store.journal.get('k');
      expect(settled).to.deep.include({
        state: 'done',
        outcome: { version: 'ck-9' },
        before: person('Alt'),
        seq: 3,
      });
      expect(settled!.at).to.be.a('number');
    });

    it('refuses to settle a write that was never intended', async () => {
      expect((await rejection(store.journal.settle('ghost', 'done'))).code).to.equal('CRMSYNC_ERR_NOT_FOUND');
    });

    it("gives a plan's entries in the order they were intended, by state when asked, across pages", async () => {
      // Keys sort differently from the order of intent, so only the intended order can pass.
      const keys = Array.from({ length: 700 }, (_, n) => `key-${(n * 7919) % 1000}`);
      await store.transaction(async (scope) => {
        for (const [seq, key] of keys.entries())
          await scope.journal.intend({
            planId: 'p1',
            key,
            seq,
            side: 'crm',
            operation: 'create',
            intent: {},
          });
      });
      await store.journal.settle(keys[5]!, 'failed', { message: 'refused' });
      await store.journal.settle(keys[2]!, 'done');
      expect((await all(store.journal.entries('p1'))).map((entry) => entry.key)).to.deep.equal(keys);
      const failed = await all(store.journal.entries('p1', { state: 'failed' }));
      expect(failed.map((entry) => entry.key)).to.deep.equal([keys[5]]);
      expect(await all(store.journal.entries('other-plan'))).to.deep.equal([]);
    });
  });

  describe('leases', () => {
    it('refuses a lease another holder has until it expires, then gives it to them', async () => {
      expect(await store.leases.acquire('acc', 'run-1', 300)).to.equal(true);
      expect(await store.leases.acquire('acc', 'run-1', 300), 'its holder may ask again').to.equal(true);
      expect(await store.leases.acquire('acc', 'run-2', 300)).to.equal(false);
      expect(await store.leases.acquire('other-account', 'run-2', 300)).to.equal(true);
      expect((await store.leases.holder('acc'))?.holder).to.equal('run-1');
      await sleep(350);
      expect(await store.leases.holder('acc')).to.equal(undefined);
      expect(await store.leases.acquire('acc', 'run-2', 300)).to.equal(true);
      expect(await store.leases.renew('acc', 'run-1', 300), 'the old holder has lost it').to.equal(false);
    });

    it('lets only its holder renew or release a lease', async () => {
      await store.leases.acquire('acc', 'run-1', 200);
      expect(await store.leases.renew('acc', 'run-2', 10_000)).to.equal(false);
      await store.leases.release('acc', 'run-2');
      expect(await store.leases.renew('acc', 'run-1', 10_000)).to.equal(true);
      await sleep(250);
      const held = await store.leases.holder('acc');
      expect(held?.holder, 'renewed past its first expiry').to.equal('run-1');
      expect(held!.expiresAt).to.be.greaterThan(Date.now() + 5_000);
      await store.leases.release('acc', 'run-1');
      expect(await store.leases.holder('acc')).to.equal(undefined);
      expect(await store.leases.acquire('acc', 'run-2', 200)).to.equal(true);
    });

    async function contend(holder: string, actAt = 0): Promise<boolean> {
      const answer = await inAnotherProcess({
        config,
        actAt,
        action: 'acquire-lease',
        accountId: 'acc',
        holder,
        ttlMs: 60_000,
      });
      return answer.acquired as boolean;
    }

    it('refuses a lease held in this process to another process until it expires', async () => {
      expect(await store.leases.acquire('acc', 'here', 60_000)).to.equal(true);
      expect(await contend('there')).to.equal(false);
      // Renewed for a moment only: the lease runs out without being released.
      await store.leases.renew('acc', 'here', 1);
      await sleep(5);
      expect(await contend('there')).to.equal(true);
      expect(await store.leases.acquire('acc', 'here', 60_000)).to.equal(false);
      expect((await store.leases.holder('acc'))?.holder).to.equal('there');
    });

    it('gives a free lease to exactly one of several processes asking at the same moment', async () => {
      const actAt = Date.now() + 1_500;
      const results = await Promise.all(['one', 'two', 'three'].map((holder) => contend(holder, actAt)));
      expect(results.filter(Boolean)).to.have.length(1);
      const winner = ['one', 'two', 'three'][results.indexOf(true)];
      expect((await store.leases.holder('acc'))?.holder).to.equal(winner);
    });
  });

  describe('blobs', () => {
    it('stores the same bytes once under their SHA-256 and gives them back with their media type', async () => {
      const first = await store.blobs.put('image/jpeg', photoA);
      const second = await store.blobs.put('image/jpeg', photoA);
      expect(first)
        .to.equal(second)
        .and.to.match(/^[0-9a-f]{64}$/);
      await restart();
      const read = await store.blobs.get(first);
      expect(read?.mediaType).to.equal('image/jpeg');
      expect([...read!.bytes]).to.deep.equal([...photoA]);
      expect(await store.blobs.get('00'.repeat(32))).to.equal(undefined);
      expect(await store.blobs.collectGarbage({ graceMs: 0 }), 'one blob, though put twice').to.equal(1);
    });

    it('collects only the blobs that no link, plan item or journal entry names', async () => {
      const linked = await store.blobs.put('image/jpeg', photoA);
      const planned = await store.blobs.put('image/png', photoB);
      const journalled = await store.blobs.put('image/jpeg', Uint8Array.from([1]));
      const intended = await store.blobs.put('image/jpeg', Uint8Array.from([2]));
      const orphan = await store.blobs.put('image/jpeg', Uint8Array.from([3]));
      await store.links.put(link('c1', 'g1', { photoHash: linked }));
      await store.plans.create({
        id: 'p1',
        kind: 'import',
        accountId: 'a',
        status: 'draft',
        options: {},
        summary: {},
      });
      await store.plans.addItems('p1', [
        item(0, { groupware: person('B', { photo: { mediaType: 'image/png', hash: planned } }) }),
      ]);
      await store.journal.intend({
        planId: 'p1',
        key: 'k',
        seq: 0,
        side: 'crm',
        operation: 'photo',
        beforePhotoHash: journalled,
        intent: { photo: { mediaType: 'image/jpeg', hash: intended } },
      });
      expect(await store.blobs.collectGarbage({ graceMs: 0 })).to.equal(1);
      expect(await store.blobs.get(orphan)).to.equal(undefined);
      for (const kept of [linked, planned, journalled, intended])
        expect(await store.blobs.get(kept)).not.to.equal(undefined);
      await store.plans.remove('p1');
      await store.links.remove('vcard-file:/srv/a', 'c1');
      expect(await store.blobs.collectGarbage({ graceMs: 0 })).to.equal(4);
    });

    it('keeps a blob stored moments ago that nothing names yet, as a plan being built needs it', async () => {
      const fresh = await store.blobs.put('image/jpeg', photoA);
      expect(await store.blobs.collectGarbage()).to.equal(0);
      expect(await store.blobs.get(fresh)).not.to.equal(undefined);
      await sleep(30);
      expect(await store.blobs.collectGarbage({ graceMs: 10 })).to.equal(1);
    });
  });

  describe('the candidate index', () => {
    const indexed = (crmId: string, keys: string[]): IndexedContact => ({
      crmId,
      contact: person(crmId),
      keys,
    });

    it('answers, for each key set, the contacts sharing a key with it, each once with the keys shared', async () => {
      await store.candidates.upsert([
        indexed('c1', ['mail:a@x.de', 'name:krause|anna']),
        indexed('c2', ['name:krause|anna', 'mobile:+4917']),
        indexed('c3', ['mail:z@x.de']),
      ]);
      const answer = await store.candidates.candidates([
        ['name:krause|anna', 'mail:a@x.de'],
        ['mobile:+4917'],
        ['nothing'],
        [],
      ]);
      const shape = answer.map((found) =>
        found
          .map(({ crmId, sharedKeys }) => ({ crmId, sharedKeys: [...sharedKeys].sort() }))
          .sort((a, b) => a.crmId.localeCompare(b.crmId)),
      );
      expect(shape).to.deep.equal([
        [
          { crmId: 'c1', sharedKeys: ['mail:a@x.de', 'name:krause|anna'] },
          { crmId: 'c2', sharedKeys: ['name:krause|anna'] },
        ],
        [{ crmId: 'c2', sharedKeys: ['mobile:+4917'] }],
        [],
        [],
      ]);
      expect(answer[1]![0]!.contact).to.deep.equal(person('c2'));
    });

    it("replaces a contact's keys when it is indexed again, and forgets removed contacts", async () => {
      await store.candidates.upsert([indexed('c1', ['old']), indexed('c2', ['old'])]);
      await store.candidates.upsert([{ crmId: 'c1', contact: person('Neu'), keys: ['new'] }]);
      const [byOld, byNew] = await store.candidates.candidates([['old'], ['new']]);
      expect(byOld!.map((found) => found.crmId)).to.deep.equal(['c2']);
      expect(byNew).to.deep.equal([{ crmId: 'c1', contact: person('Neu'), sharedKeys: ['new'] }]);
      await store.candidates.remove(['c2']);
      expect(await store.candidates.size()).to.equal(1);
      expect((await store.candidates.candidates([['old']]))[0]).to.deep.equal([]);
    });

    it('keeps the index and its state across a restart, and empties both on clear', async () => {
      await store.candidates.upsert([indexed('c1', ['k'])]);
      await store.candidates.setState({ cursor: 'feed-1', rulesFingerprint: 'rules-v1' });
      await store.candidates.setState({ cursor: 'feed-2' });
      await restart();
      expect(await store.candidates.getState()).to.deep.equal({
        cursor: 'feed-2',
        rulesFingerprint: 'rules-v1',
      });
      expect(await store.candidates.size()).to.equal(1);
      await store.candidates.clear();
      expect(await store.candidates.size()).to.equal(0);
      expect(await store.candidates.getState()).to.deep.equal({});
      expect((await store.candidates.candidates([['k']]))[0]).to.deep.equal([]);
    });

    it('answers 10,000 key sets at once, more keys than one lookup takes', async () => {
      const contacts = Array.from({ length: 10_000 }, (_, n) =>
        indexed(`c${n}`, [`mail:${n}`, `name:${n % 2500}`, `mobile:${n}`, `x:${n}`]),
      );
      await store.candidates.upsert(contacts);
      expect(await store.candidates.size()).to.equal(10_000);
      const keySets = contacts.map(({ crmId }) => {
        const n = crmId.slice(1);
        return [`mail:${n}`, `missing:${n}`, `y:${n}`, `z:${n}`, `w:${n}`, `v:${n}`];
      });
      const answer = await store.candidates.candidates(keySets);
      expect(answer).to.have.length(10_000);
      const wrong = answer.filter((found, n) => found.length !== 1 || found[0]!.crmId !== `c${n}`);
      expect(wrong).to.deep.equal([]);
      const byName = await store.candidates.candidates([['name:7']]);
      expect(byName[0]!.map((found) => found.crmId).sort()).to.deep.equal(['c2507', 'c5007', 'c7', 'c7507']);
    });

    it('rebuilds from a stream of contacts, replacing what was indexed, and records the new state last', async () => {
      await store.candidates.upsert([indexed('old', ['shared', 'old-key'])]);
      await store.candidates.setState({ cursor: 'feed-1', rulesFingerprint: 'rules-v1' });
      async function* fromTheCrm() {
        for (let n = 0; n < 12_000; n++)
          yield indexed(`c${n}`, [`mail:${n}`, n % 1000 === 0 ? 'shared' : `x:${n}`]);
      }
      const count = await store.candidates.rebuild(fromTheCrm(), {
        cursor: 'feed-9',
        rulesFingerprint: 'rules-v2',
      });
      expect(count).to.equal(12_000);
      expect(await store.candidates.size()).to.equal(12_000);
      expect(await store.candidates.getState()).to.deep.equal({
        cursor: 'feed-9',
        rulesFingerprint: 'rules-v2',
      });
      const [byOld, byShared, byMail] = await store.candidates.candidates([
        ['old-key'],
        ['shared'],
        ['mail:11999'],
      ]);
      expect(byOld).to.deep.equal([]);
      expect(byShared).to.have.length(12);
      expect(byMail!.map((found) => found.crmId)).to.deep.equal(['c11999']);
      await store.candidates.upsert([indexed('c11999', ['mail:new'])]);
      expect(
        (await store.candidates.candidates([['mail:11999']]))[0],
        'upserts go on as before',
      ).to.deep.equal([]);
    });

    it('shows an interrupted rebuild by a missing rules fingerprint, and a second rebuild completes', async () => {
      await store.candidates.setState({ cursor: 'feed-1', rulesFingerprint: 'rules-v1' });
      async function* failingFeed() {
        for (let n = 0; n < 10_500; n++) yield indexed(`c${n}`, [`k:${n}`]);
        throw new Error('the CRM stopped answering');
      }
      let failure: unknown;
      try {
        await store.candidates.rebuild(failingFeed(), { cursor: 'feed-2', rulesFingerprint: 'rules-v2' });
      } catch (error) {
        failure = error;
      }
      expect((failure as Error)?.message).to.equal('the CRM stopped answering');
      expect(await store.candidates.getState()).to.deep.equal({});
      await store.candidates.rebuild([indexed('c1', ['k:1'])], { rulesFingerprint: 'rules-v2' });
      expect(await store.candidates.size()).to.equal(1);
      expect(await store.candidates.getState()).to.deep.equal({ rulesFingerprint: 'rules-v2' });
      expect((await store.candidates.candidates([['k:1']]))[0]!.map((found) => found.crmId)).to.deep.equal([
        'c1',
      ]);
    });
  });

  describe('its schema', () => {
    it('refuses a store whose schema a newer crmsync changed, and leaves it as it was', async () => {
      await store.links.put(link('c1', 'g1'));
      await store.close();
      await fixture.execute(
        config,
        "insert into crmsync_migration (name, timestamp) values ('9999-from-the-future', '2030')",
      );
      const error = await rejection(openStateStore(config));
      expect(error.code).to.equal('CRMSYNC_ERR_STORE_NEWER_SCHEMA');
      expect(error.message).to.contain('9999-from-the-future');
      await fixture.execute(config, "delete from crmsync_migration where name = '9999-from-the-future'");
      store = await openStateStore(config);
      expect(await store.links.count('vcard-file:/srv/a')).to.equal(1);
    });
  });
}
