import { expect } from 'chai';
import { CommitExecutor, type CommitFlow, type JournalEntry } from '../../core/index.js';
import { EngineWorld, pixel } from './support/engine-world.js';

describe('The commit executor, as any flow uses it', () => {
  let world: EngineWorld;
  let crmId: string;
  let accountId: string;

  before(async () => {
    world = await EngineWorld.open();
    world.addPartner({ id: 'GP-0001', name: 'Kaiser KG' });
    crmId = world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Eva', lastName: 'Roth' }).id;
    world.setCrmPhoto(crmId, pixel);
    const exported = await world.plans.createExportPlan({});
    await world.plans.select(exported.id, 'all', true);
    accountId = (await world.plans.commit(exported.id)).accountId;
  });
  after(async () => world?.close());

  it('deletes and unlinks as a flow says, keeping the card and the link as they were in the journal', async () => {
    const [card] = await world.groupwareContacts();
    const plan = await world.store.plans.create({
      id: 'remove-roth',
      kind: 'sync',
      accountId,
      status: 'draft',
      options: {},
      summary: {},
    });
    await world.store.plans.addItems(plan.id, [
      {
        seq: 0,
        selected: true,
        crmId,
        groupwareId: card!.ids.groupwareId!,
        action: 'delete',
        reason: 'sync-turned-off',
      },
    ]);
    const removeCopy: CommitFlow = {
      work: (item) => ({
        steps: [
          {
            name: 'groupware-delete',
            build: () => ({
              kind: 'write',
              side: 'groupware',
              operation: {
                kind: 'delete',
                id: item.groupwareId!,
                expectedVersion: card!.ids.groupwareVersion!,
              },
            }),
          },
          { name: 'unlink', build: () => ({ kind: 'unlink', crmId: item.crmId! }) },
        ],
      }),
    };
    const executor = world.runtime.kernel.container.get<CommitExecutor>(CommitExecutor);
    const report = await executor.commit(plan.id, removeCopy, {
      accountId,
      crm: await world.crm(),
      groupware: await world.groupware(),
    });

    expect(report).to.include({ total: 1, done: 1, failed: 0 });
    expect(world.cardFiles()).to.deep.equal([]);
    expect(await world.store.links.get(accountId, { crmId })).to.equal(undefined);
    const entries: JournalEntry[] = [];
    for await (const entry of world.store.journal.entries(plan.id)) entries.push(entry);
    expect(entries.map((entry) => [entry.key, entry.operation, entry.state])).to.deep.equal([
      ['remove-roth:0:groupware-delete', 'delete', 'done'],
      ['remove-roth:0:unlink', 'unlink', 'done'],
    ]);
    expect(entries[0]?.before?.surname, 'the card as it was, for an undo').to.equal('Roth');
    const photo = await world.store.blobs.get(entries[0]!.beforePhotoHash!);
    expect(Buffer.from(photo?.bytes ?? []).equals(Buffer.from(pixel))).to.equal(true);
    expect((entries[1]!.intent.previous as { groupwareId?: string }).groupwareId).to.equal(
      card!.ids.groupwareId,
    );
  });

  it('refuses to commit a plan that is already committed', async () => {
    const error = await world.runtime.kernel.container
      .get<CommitExecutor>(CommitExecutor)
      .commit(
        'remove-roth',
        { work: () => ({ steps: [] }) },
        {
          accountId,
          crm: await world.crm(),
          groupware: await world.groupware(),
        },
      )
      .catch((e: Error) => e);
    expect(error).to.have.property('code', 'CRMSYNC_ERR_PLAN_STATE');
  });
});
