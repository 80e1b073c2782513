import type { Contact, SyncRunResult, WriteOperation } from '../../core/index.js';
import { seedDemoData } from '../../emulators/crm/index.js';
import { contactId } from '../../emulators/crm/store/crm-store.js';
import type { ContactDoc, ContactInput } from '../../emulators/crm/store/documents.js';
import { EngineWorld } from '../../test/engine/support/engine-world.js';
import { figure, figureOfRounds, quick } from '../support/report.js';

// Ongoing sync between the reference CRM (in this process, through crm-rest and its shipped
// profile) and a vCard folder, with the SQLite state store, all wired by the runtime: the
// export wizard's first export of every contact, a sync with nothing changed, and a sync
// after 1 % changed on each side.
const contacts = quick ? 1_000 : 10_000;
const rounds = 3;
const world = await EngineWorld.open();
try {
  seedDemoData(world.crmServer.store, { seed: 4711, partners: 50, contacts, photoEvery: 50 });
  const ids = Array.from({ length: contacts }, (_, index) => contactId(index + 1));
  const sync = world.runtime.services.sync;

  const exportStart = performance.now();
  const plan = await world.plans.createExportPlan({});
  await world.plans.select(plan.id, 'all', true);
  const exported = await world.plans.commit(plan.id);
  const exportSeconds = (performance.now() - exportStart) / 1000;
  if (exported.status !== 'committed') throw new Error(`export ended ${exported.status}`);
  const accountId = exported.accountId;
  figure(`sync initial export ${contacts}`, contacts / exportSeconds, 'contacts/s');
  figure(`sync initial export ${contacts} time`, exportSeconds, 's');

  const timed = async (): Promise<{ seconds: number; result: SyncRunResult }> => {
    const start = performance.now();
    const result = await sync.sync();
    if (result.plan.status !== 'committed' || result.commit?.failed)
      throw new Error(`sync did not commit cleanly: ${JSON.stringify(result.plan.summary)}`);
    return { seconds: (performance.now() - start) / 1000, result };
  };
  const read = (result: SyncRunResult) => {
    const counts = result.plan.summary.read as { crm: number; groupware: number };
    return counts.crm + counts.groupware;
  };
  const written = (result: SyncRunResult) => result.written.crm + result.written.groupware;

  // The first sync has no cursors yet: it reads both sides whole and finds every pair as exported.
  const first = await timed();
  figure(`sync first after export ${contacts} time`, first.seconds, 's');
  figure(`sync first after export ${contacts} records written`, written(first.result), 'records');

  const quiet: number[] = [];
  let quietWritten = 0;
  let quietRead = 0;
  for (let round = 0; round < rounds; round++) {
    const run = await timed();
    quiet.push(run.seconds);
    quietWritten += written(run.result);
    quietRead = Math.max(quietRead, read(run.result));
  }
  figureOfRounds(`sync no-change ${contacts} time`, quiet, 's');
  figure(`sync no-change ${contacts} records written`, quietWritten, 'records');
  figure(`sync no-change ${contacts} records read`, quietRead, 'records');

  const groupware = await world.groupware();
  const changedEach = Math.max(1, Math.round(contacts / 100));
  const changedTimes: number[] = [];
  const changedWritten: number[] = [];
  const changedRead: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Different contacts on each side, so that each change travels to the other side.
    const stride = Math.floor(contacts / changedEach);
    for (let n = 0; n < changedEach; n++) {
      changeCrm(ids[n * stride + round]!, (doc) => ({
        ...doc,
        jobTitle: `Runde ${round} ${doc.jobTitle ?? ''}`.trim(),
      }));
      await changeGroupware(ids[n * stride + ((round + Math.floor(stride / 2)) % stride)]!, round);
    }
    const run = await timed();
    changedTimes.push(run.seconds);
    changedWritten.push(written(run.result));
    changedRead.push(read(run.result));
    // The echoes of this round's own writes are read once, before the next round changes anything.
    await timed();
  }
  figureOfRounds(`sync 1% changed ${contacts} time`, changedTimes, 's');
  figureOfRounds(`sync 1% changed ${contacts} records written`, changedWritten, 'records');
  figureOfRounds(`sync 1% changed ${contacts} records read`, changedRead, 'records');

  async function changeGroupware(crmId: string, round: number): Promise<void> {
    // The copy found through its link: asking the folder for a CRM id would time the setup, not the sync.
    const link = await world.store.links.get(accountId, { crmId });
    const copy = (await groupware.getContact(link!.groupwareId)) as Contact;
    const operation: WriteOperation = {
      kind: 'update',
      key: `bench-${crmId}-${round}`,
      id: copy.ids.groupwareId!,
      expectedVersion: copy.ids.groupwareVersion!,
      contact: { ...copy, notes: `Notiz aus dem Adressbuch, Runde ${round}` },
    };
    for await (const outcome of groupware.apply([operation]))
      if (!outcome.ok) throw new Error(`vCard edit failed: ${outcome.problem.message}`);
  }
} finally {
  await world.close();
}

/** Changes a CRM contact as another CRM user would, straight in the reference CRM's store. */
function changeCrm(id: string, change: (doc: ContactDoc) => ContactDoc): void {
  const store = world.crmServer.store;
  const row = store.getContact(id);
  if (!row) throw new Error(`no CRM contact ${id}`);
  const doc = change(JSON.parse(row.doc) as ContactDoc);
  const outcome = store.updateContact(
    id,
    doc as ContactInput,
    undefined,
    new Date().toISOString(),
    doc.partnerName,
  );
  if (!outcome.ok) throw new Error(`CRM edit of ${id} failed`);
}
