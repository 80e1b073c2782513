import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contact, WriteOperation } from '../../core/index.js';
import { JournalledCommitExecutor } from '../../core/pipeline/commit/commit-executor.js';
import {
  accountIdOf,
  SyncEngine,
  type SyncRunResult,
  type SyncTargets,
} from '../../core/pipeline/sync/index.js';
import { startCrmServer } from '../../emulators/crm/index.js';
import { contactId } from '../../emulators/crm/store/crm-store.js';
import type { ContactDoc, ContactInput } from '../../emulators/crm/store/documents.js';
import { CrmRestConnector } from '../../plugins/crm-rest/src/index.js';
import { readProfile, referenceProfileFile } from '../../plugins/crm-rest/test/support/profiles.js';
import { VcardFolderConnector } from '../../plugins/vcard-file/src/vcard-folder-connector.js';
import { openTestStore } from '../../test/sync/support/test-store.js';
import { figure, figureOfRounds, quick } from '../support/report.js';

// Ongoing sync between the reference CRM (in this process, through crm-rest and its shipped
// profile) and a vCard folder, with the state store in a temporary folder: the initial copy of
// every contact, a sync with nothing changed, and a sync after 1 % changed on each side.
const contacts = quick ? 1_000 : 10_000;
const rounds = 3;
const dir = mkdtempSync(join(tmpdir(), 'crmsync-bench-sync-'));
const server = await startCrmServer({
  port: 0,
  seed: { seed: 4711, partners: 50, contacts, photoEvery: 50 },
});
try {
  const ids = Array.from({ length: contacts }, (_, index) => contactId(index + 1));
  // Every contact marked for sync, so the first run gives each of them its copy (S2).
  for (const id of ids) changeCrm(id, (doc) => ({ ...doc, groupwareSync: true }));

  const profile = readProfile(referenceProfileFile);
  profile.baseUrl = server.url;
  const crm = new CrmRestConnector({ profile, profileFile: referenceProfileFile });
  const groupware = new VcardFolderConnector({ folder: join(dir, 'vcards'), stateDir: join(dir, 'state') });
  await groupware.health();
  const store = await openTestStore(join(dir, 'crmsync.sqlite'));
  const engine = new SyncEngine(store, new JournalledCommitExecutor(store));
  const targets: SyncTargets = { accountId: accountIdOf('vcard-file', groupware), crm, groupware };
  const timed = async (): Promise<{ seconds: number; result: SyncRunResult }> => {
    const start = performance.now();
    const result = await engine.run(targets);
    if (result.plan.status !== 'committed' || result.commit?.failed)
      throw new Error(`sync did not commit cleanly: ${JSON.stringify(result.plan.summary)}`);
    return { seconds: (performance.now() - start) / 1000, result };
  };
  const read = (result: SyncRunResult) => {
    const counts = result.plan.summary.read as { crm: number; groupware: number };
    return counts.crm + counts.groupware;
  };
  const written = (result: SyncRunResult) => result.written.crm + result.written.groupware;

  const initial = await timed();
  figure(`sync initial export ${contacts}`, initial.result.written.groupware / initial.seconds, 'contacts/s');
  figure(`sync initial export ${contacts} time`, initial.seconds, 's');
  // The first run after the copies were made reads them back once (its own writes) and writes nothing.
  const settle = await timed();
  figure(`sync after export ${contacts} time`, settle.seconds, 's');
  figure(`sync after export ${contacts} records written`, written(settle.result), 'records');

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

  const changedEach = Math.max(1, Math.round(contacts / 100));
  const changedTimes: number[] = [];
  const changedWritten: number[] = [];
  const changedRead: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Different contacts on each side, so that each change travels to the other side.
    const stride = Math.floor(contacts / changedEach);
    for (let n = 0; n < changedEach; n++) {
      const crmId = ids[n * stride + round]!;
      changeCrm(crmId, (doc) => ({ ...doc, jobTitle: `Runde ${round} ${doc.jobTitle ?? ''}`.trim() }));
      const otherId = ids[n * stride + ((round + Math.floor(stride / 2)) % stride)]!;
      await changeGroupware(otherId, round);
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
  await store.close();

  async function changeGroupware(crmId: string, round: number): Promise<void> {
    // The copy found through its link: asking the folder for a CRM id would time the setup, not the sync.
    const link = await store.links.get(targets.accountId, { crmId });
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
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Changes a CRM contact as another CRM user would, straight in the reference CRM's store. */
function changeCrm(id: string, change: (doc: ContactDoc) => ContactDoc): void {
  const row = server.store.getContact(id);
  if (!row) throw new Error(`no CRM contact ${id}`);
  const doc = change(JSON.parse(row.doc) as ContactDoc);
  const outcome = server.store.updateContact(
    id,
    doc as ContactInput,
    undefined,
    new Date().toISOString(),
    doc.partnerName,
  );
  if (!outcome.ok) throw new Error(`CRM edit of ${id} failed`);
}
