import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Contact,
  ContactStore,
  FieldSupport,
  GroupwareConnector,
  StateStore,
  WriteOperation,
  WriteOutcome,
} from '../../../core/index.js';
import { JournalledCommitExecutor } from '../../../core/pipeline/commit/commit-executor.js';
import { accountIdOf, SyncEngine, type SyncTargets } from '../../../core/pipeline/sync/index.js';
import { type CrmServer, startCrmServer } from '../../../emulators/crm/index.js';
import { CrmRestConnector } from '../../../plugins/crm-rest/src/index.js';
import { readProfile, referenceProfileFile } from '../../../plugins/crm-rest/test/support/profiles.js';
import {
  type GroupwareKind,
  type GroupwareSide,
  openGroupwareSide,
} from '../../engine/support/groupware/groupware-side.js';
import { asVcard } from '../../engine/support/groupware/vcard-side.js';
import { openTestStore } from './test-store.js';

/**
 * The reference CRM in this process through crm-rest and its shipped profile, the groupware (a
 * vCard folder in a temporary folder, or Outlook through the Graph emulator over HTTPS), and a
 * state store in that folder too: the sync over real I/O.
 */
export class SyncHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'crmsync-sync-'));
  server!: CrmServer;
  crm!: CrmRestConnector;
  /** The groupware as a person sees it, seeded and inspected outside crmsync. */
  side!: GroupwareSide;
  groupware!: GroupwareConnector;
  store!: StateStore;
  engine!: SyncEngine;
  targets!: SyncTargets;
  private serial = 0;

  /** A harness whose CRM has `count` contacts, all synced once, so each has a linked copy. */
  static async startLinked(
    count: number,
    groupware: GroupwareKind = 'vcard',
  ): Promise<{ harness: SyncHarness; crmIds: string[] }> {
    const harness = await SyncHarness.start({ groupware });
    const crmIds: string[] = [];
    for (let n = 0; n < count; n++) crmIds.push((await harness.addCrmContact()).ids.crmId!);
    await harness.sync();
    return { harness, crmIds };
  }

  /** `groupwareSupport` makes the folder claim to hold less, as Outlook holds only three e-mail addresses. */
  static async start(
    options: { partners?: number; groupwareSupport?: FieldSupport; groupware?: GroupwareKind } = {},
  ): Promise<SyncHarness> {
    const harness = new SyncHarness();
    harness.server = await startCrmServer({
      port: 0,
      seed: { seed: 7, partners: options.partners ?? 2, contacts: 0 },
    });
    const profile = readProfile(referenceProfileFile);
    profile.baseUrl = harness.server.url;
    harness.crm = new CrmRestConnector({ profile, profileFile: referenceProfileFile });
    harness.side = await openGroupwareSide(options.groupware ?? 'vcard', harness.dir);
    harness.groupware = await harness.side.connector();
    if (options.groupwareSupport)
      Object.defineProperty(harness.groupware, 'fieldSupport', { value: options.groupwareSupport });
    harness.store = await openTestStore(join(harness.dir, 'state.sqlite'));
    harness.engine = new SyncEngine(harness.store, new JournalledCommitExecutor(harness.store));
    harness.targets = {
      accountId: accountIdOf(harness.side.connectorId, harness.groupware),
      crm: harness.crm,
      groupware: harness.groupware,
    };
    return harness;
  }

  /** A new CRM contact, unique by name, e-mail and mobile, with the sync flag as given. */
  async addCrmContact(change: Partial<Contact> = {}): Promise<Contact> {
    this.serial += 1;
    const tag = String(this.serial).padStart(3, '0');
    const contact: Contact = {
      salutation: 'Frau',
      givenName: 'Jördis',
      surname: `Weiß-${tag}`,
      partnerId: 'GP-0001',
      jobTitle: 'Einkauf',
      emails: [{ address: `joerdis.weiss.${tag}@example.de`, type: 'work' }],
      phones: [{ number: `+49 171 5550${tag}`, type: 'mobile' }],
      addresses: [
        { type: 'business', street: 'Ludwigstraße 23', postalCode: '35390', city: 'Gießen', country: 'DE' },
      ],
      categories: [],
      groupwareSync: true,
      ids: {},
      ...change,
    };
    return this.writeOk(this.crm, { kind: 'create', key: `test-${this.serial}-${Date.now()}`, contact });
  }

  /** Changes a CRM contact as a user would, based on its current version. */
  async changeCrm(crmId: string, change: (contact: Contact) => Contact): Promise<Contact> {
    const current = await this.crm.getContact(crmId);
    return this.writeOk(this.crm, {
      kind: 'update',
      key: `test-edit-${++this.serial}`,
      id: crmId,
      expectedVersion: current!.ids.crmVersion!,
      contact: change(current!),
    });
  }

  /** The vCard folder, for cases only a file can show. */
  get folder(): string {
    return asVcard(this.side).folder;
  }

  /** The groupware copy of a CRM contact, as the groupware holds it now. */
  async copyOf(crmId: string): Promise<Contact | undefined> {
    return this.groupware.findByCrmId(crmId);
  }

  /** Changes a groupware copy as a user would in the address book. */
  async changeGroupware(crmId: string, change: (contact: Contact) => Contact): Promise<Contact> {
    const current = await this.copyOf(crmId);
    return this.writeOk(this.groupware, {
      kind: 'update',
      key: `test-edit-${++this.serial}`,
      id: current!.ids.groupwareId!,
      expectedVersion: current!.ids.groupwareVersion!,
      contact: change(current!),
    });
  }

  async deleteGroupware(crmId: string): Promise<void> {
    const current = await this.copyOf(crmId);
    await this.writeOk(this.groupware, {
      kind: 'delete',
      key: `test-delete-${++this.serial}`,
      id: current!.ids.groupwareId!,
      expectedVersion: current!.ids.groupwareVersion!,
    });
  }

  sync(settings: Parameters<SyncEngine['run']>[1] = {}) {
    return this.engine.run(this.targets, settings);
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.server.close();
    await this.side.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async writeOk(store: ContactStore, operation: WriteOperation): Promise<Contact> {
    let outcome: WriteOutcome | undefined;
    for await (const answer of store.apply([operation])) outcome = answer;
    if (!outcome?.ok) throw new Error(`test write failed: ${JSON.stringify(outcome)}`);
    return outcome.contact ?? ((await store.getContact(outcome.id)) as Contact);
  }
}
