import { expect } from 'chai';
import type { PlanItem } from '../../../../core/pipeline/plan.js';
import {
  all,
  inAnotherProcess,
  item,
  person,
  rejection,
  type StoreUnderTest,
  sleep,
} from './store-under-test.js';

export function describePlans(t: StoreUnderTest): void {
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
      const created = await t.store.plans.create({ ...header, options: { ...header.options } });
      expect(created.createdAt).to.be.a('number');
      expect(created.updatedAt).to.equal(created.createdAt);
      await t.store.plans.update('p1', { summary: { total: 3 } });
      const updated = await t.store.plans.update('p1', {
        status: 'committing',
        summary: { failed: 1 },
        options: { policy: 'crm-wins' },
      });
      await t.restart();
      const read = await t.store.plans.get('p1');
      expect(read).to.deep.equal(updated);
      expect(read).to.include({ status: 'committing', createdAt: created.createdAt });
      expect(read!.summary).to.deep.equal({ total: 3, failed: 1 });
      expect(read!.options).to.deep.equal({ file: 'a.vcf', policy: 'crm-wins' });
      expect(read!.updatedAt).to.be.at.least(created.updatedAt);
    });

    it('refuses a second plan with the same id and an update of a plan that does not exist', async () => {
      await t.store.plans.create(header);
      expect((await rejection(t.store.plans.create(header))).code).to.equal('CRMSYNC_ERR_PLAN_EXISTS');
      expect((await rejection(t.store.plans.update('nope', { status: 'failed' }))).code).to.equal(
        'CRMSYNC_ERR_NOT_FOUND',
      );
    });

    it('keeps every field of an item as it was added, photo hash and verdict included', async () => {
      await t.store.plans.create(header);
      const full = item(4, {
        crm: person('Krause', { photo: { mediaType: 'image/jpeg', hash: 'cd'.repeat(32) } }),
        groupware: person('Krause'),
        duplicate: { verdict: 'possible', findings: [] },
        partner: { partner: { id: 'bp-1', name: 'Firma GmbH' }, by: 'resolver', reason: 'e-mail domain' },
        changes: { toCrm: { jobTitle: 'Chefin' } },
      });
      await t.store.plans.addItems('p1', [full]);
      expect(await t.store.plans.getItem('p1', 4)).to.deep.equal(full);
      expect(await t.store.plans.getItem('p1', 5)).to.equal(undefined);
    });

    it('refuses items for a plan that does not exist and a second item at the same position', async () => {
      expect((await rejection(t.store.plans.addItems('nope', [item(0)]))).code).to.equal(
        'CRMSYNC_ERR_NOT_FOUND',
      );
      await t.store.plans.create(header);
      await t.store.plans.addItems('p1', [item(0), item(1)]);
      const error = await rejection(t.store.plans.addItems('p1', [item(2), item(1)]));
      expect(error.code).to.equal('CRMSYNC_ERR_PLAN_ITEM_DUPLICATE');
      expect(await t.store.plans.getItem('p1', 2), 'the batch is added whole or not at all').to.equal(
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
        await t.store.plans.create(header);
        await t.store.plans.addItems('p1', items.slice(0, 400));
        await t.store.plans.addItems('p1', items.slice(400));
      });

      it('pages through items in position order with the number the filter matches', async () => {
        const page = await t.store.plans.page('p1', { offset: 10, limit: 5, filter: { selected: false } });
        const unselected = seqsWhere((each) => !each.selected);
        expect(page.total).to.equal(unselected.length);
        expect(page.offset).to.equal(10);
        expect(page.items.map((each) => each.seq)).to.deep.equal(unselected.slice(10, 15));
        const beyond = await t.store.plans.page('p1', { offset: 990, limit: 50 });
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
          const page = await t.store.plans.page('p1', { limit: 2000, filter });
          expect(
            page.items.map((each) => each.seq),
            JSON.stringify(filter),
          ).to.deep.equal(seqsWhere(test));
          expect(page.total, JSON.stringify(filter)).to.equal(seqsWhere(test).length);
        }
      });

      it('streams every matching item in order, across pages', async () => {
        const streamed = await all(t.store.plans.items('p1', { outcome: 'none' }));
        expect(streamed.map((each) => each.seq)).to.deep.equal(
          seqsWhere((each) => each.outcome === undefined),
        );
        expect(await all(t.store.plans.items('p1'))).to.have.length(1000);
      });

      it("counts items by list, action, reason, verdict and outcome for the wizard's headline", async () => {
        const counts = await t.store.plans.counts('p1');
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
        await t.store.plans.updateItems('p1', [1, 2, 3], {
          selected: false,
          outcome: { state: 'done', crmId: 'new-id' },
        });
        const changed = await t.store.plans.getItem('p1', 2);
        expect(changed).to.deep.equal({
          ...items[2],
          selected: false,
          outcome: { state: 'done', crmId: 'new-id' },
        });
        const done = await t.store.plans.page('p1', { filter: { outcome: 'done' } });
        expect(done.items.map((each) => each.seq)).to.deep.equal([1, 2, 3]);
        expect((await t.store.plans.counts('p1'))['outcome:done']).to.equal(3);
      });

      it('changes none of the named items when one of them does not exist', async () => {
        const error = await rejection(t.store.plans.updateItems('p1', [1, 5000], { selected: false }));
        expect(error.code).to.equal('CRMSYNC_ERR_NOT_FOUND');
        expect(error.message).to.contain('5000');
        expect((await t.store.plans.getItem('p1', 1))?.selected).to.equal(true);
      });

      it('removes a plan with its items and journal', async () => {
        await t.store.journal.intend({
          planId: 'p1',
          key: 'k1',
          seq: 1,
          side: 'crm',
          operation: 'create',
          intent: {},
        });
        await t.store.plans.remove('p1');
        expect(await t.store.plans.get('p1')).to.equal(undefined);
        expect((await t.store.plans.page('p1', {})).total).to.equal(0);
        expect(await t.store.journal.get('k1')).to.equal(undefined);
      });
    });

    it('keeps what each of several processes merged into a summary at the same moment', async () => {
      await t.store.plans.create({ ...header, summary: { total: 3 } });
      const actAt = Date.now() + 1_500;
      const notes = ['first', 'second', 'third'];
      await Promise.all(
        notes.map((note) =>
          inAnotherProcess({ config: t.config, actAt, action: 'note-in-summary', planId: 'p1', note }),
        ),
      );
      expect((await t.store.plans.get('p1'))?.summary).to.deep.equal({
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
        await t.store.plans.create({ id, kind, accountId, status: 'draft', options: {}, summary: {} });
        // Creation times must differ for "newest first" to mean something.
        while (Date.now() <= clock + 1) await sleep(2);
        clock = Date.now();
      }
      const ids = (plans: { id: string }[]) => plans.map((plan) => plan.id);
      expect(ids(await t.store.plans.list({}))).to.deep.equal(['d', 'c', 'b', 'a']);
      expect(ids(await t.store.plans.list({ kind: 'import', accountId: 'x' }))).to.deep.equal(['d', 'a']);
      expect(ids(await t.store.plans.list({ kind: 'import', limit: 1 }))).to.deep.equal(['d']);
    });
  });
}
