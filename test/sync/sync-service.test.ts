import { expect } from 'chai';
import { GroupwareAccountsImpl, type Kernel, SyncServiceImpl } from '../../core/index.js';
import { JournalledCommitExecutor } from '../../core/pipeline/commit/commit-executor.js';
import { SyncHarness } from './support/sync-harness.js';

describe('The sync service', function () {
  this.timeout(60_000);
  let harness: SyncHarness;
  let service: SyncServiceImpl;
  let asked: string[];

  beforeEach(async () => {
    harness = await SyncHarness.start();
    asked = [];
    // The kernel as the service uses it: the configured connectors by id.
    const kernel = {
      get: async (point: string, id: string) => {
        asked.push(`${point}:${id}`);
        if (point === 'crmConnectors') return harness.crm;
        if (id === 'vcard-file') return harness.groupware;
        throw new Error(`connector ${id} is not configured`);
      },
    } as unknown as Kernel;
    const settings = { connectors: { crm: 'crm-rest', groupware: 'vcard-file', fallback: 'vcard-file' } };
    service = new SyncServiceImpl(
      kernel,
      settings,
      new GroupwareAccountsImpl(kernel, settings),
      harness.store,
      new JournalledCommitExecutor(harness.store),
    );
  });
  afterEach(async () => harness.close());

  it('syncs the configured account, whose links are kept under the connector and its folder', async () => {
    const anna = await harness.addCrmContact();
    const result = await service.sync();
    expect(result.plan.accountId).to.equal(`vcard-file:${harness.groupware.accountKey}`);
    expect(asked).to.deep.equal(['crmConnectors:crm-rest', 'groupwareConnectors:vcard-file']);
    expect((await harness.copyOf(anna.ids.crmId!))?.surname).to.equal(anna.surname);
  });

  it('writes nothing on a dry run, and commits its plan when asked', async () => {
    const anna = await harness.addCrmContact();
    const dryRun = await service.sync({ dryRun: true });
    expect(dryRun.plan.status).to.equal('draft');
    expect(await harness.copyOf(anna.ids.crmId!)).to.equal(undefined);
    const committed = await service.commit(dryRun.plan.id);
    expect(committed.written.groupware).to.equal(1);
  });

  it('refuses a dry run made before another sync of the account', async () => {
    await harness.addCrmContact();
    const stale = await service.sync({ dryRun: true });
    await service.sync();
    let failure: unknown;
    try {
      await service.commit(stale.plan.id);
    } catch (error) {
      failure = error;
    }
    expect(failure).to.have.property('code', 'CRMSYNC_ERR_PLAN_STATE');
  });

  it('undoes a committed sync of the account', async () => {
    const anna = await harness.addCrmContact();
    const result = await service.sync();
    await service.undo(result.plan.id);
    expect(await harness.copyOf(anna.ids.crmId!)).to.equal(undefined);
  });
});
