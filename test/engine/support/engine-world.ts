import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Contact,
  CrmConnector,
  GroupwareConnector,
  PlanItem,
  PlanService,
  StateStore,
} from '../../../core/index.js';
import { type CrmServer, startCrmServer } from '../../../emulators/crm/index.js';
import type { ContactDoc, ContactInput, PartnerDoc } from '../../../emulators/crm/store/documents.js';
import { createRuntime, type Runtime } from '../../../host/runtime.js';
import { repoRoot } from '../../support/paths.js';
import { type GroupwareKind, type GroupwareSide, openGroupwareSide } from './groupware/groupware-side.js';
import { asVcard } from './groupware/vcard-side.js';

const now = '2026-01-02T08:00:00.000Z';

/**
 * A whole crmsync over real I/O, as a user runs it: the reference CRM in this process, the
 * shipped crm-rest profile, the groupware (a vCard folder, or Outlook through the Graph
 * emulator over HTTPS) and the SQLite state store in a temp folder, all wired by
 * `createRuntime`. `restart` builds a new runtime on the same folders, as after a crash or a
 * reboot; the CRM and the groupware keep running.
 */
export class EngineWorld {
  runtime!: Runtime;
  private constructor(
    readonly dir: string,
    readonly crmServer: CrmServer,
    /** The groupware as a person sees it, seeded and inspected outside crmsync. */
    readonly side: GroupwareSide,
    private readonly postgresUrl?: string,
  ) {}

  /**
   * `accounts` configures that many groupware accounts; `side` is the first, the default.
   * `startRuntime: false` leaves the runtime to the caller (a host builds its own on the same
   * folders): building one only to throw it away costs seconds on a busy machine.
   * `postgresUrl`: the state store (and job queue) in that PostgreSQL database instead of a
   * SQLite file, its address given to crmsync as the secret `${env:CRMSYNC_POSTGRES_URL}`;
   * `settings`: more of the host configuration (`jobs`, `sync`).
   */
  static async open(
    kind: GroupwareKind = 'vcard',
    options: {
      accounts?: number;
      startRuntime?: boolean;
      planAnswerMs?: number;
      postgresUrl?: string;
      settings?: Record<string, unknown>;
    } = {},
  ): Promise<EngineWorld> {
    const dir = mkdtempSync(join(tmpdir(), 'crmsync-engine-'));
    const crmServer = await startCrmServer({ port: 0, seed: false });
    const side = await openGroupwareSide(kind, dir, options.accounts ?? 1);
    const world = new EngineWorld(dir, crmServer, side, options.postgresUrl);
    mkdirSync(join(dir, 'config', 'plugins'), { recursive: true });
    writeFileSync(
      join(dir, 'config', 'crmsync.json'),
      JSON.stringify({
        // A plan is answered once built, however loaded the machine: the tests of a plan still
        // building ask for that answer themselves (Prefer: respond-async) or set `planAnswerMs`.
        host: { port: 0, timeouts: { planAnswerMs: options.planAnswerMs ?? 60_000 } },
        dataDir: '../data',
        store: options.postgresUrl
          ? { kind: 'postgres', postgresUrl: '${env:CRMSYNC_POSTGRES_URL}' }
          : { kind: 'sqlite', sqliteFile: 'crmsync.db' },
        connectors: { crm: 'crm-rest', groupware: world.side.connectorId, fallback: 'vcard-file' },
        embedded: { referenceCrm: { enabled: false } },
        ...options.settings,
      }),
    );
    copyFileSync(
      join(repoRoot, 'config', 'plugins', 'crm-rest.json'),
      join(dir, 'config', 'plugins', 'crm-rest.json'),
    );
    world.side.configure(world.configDir);
    if (options.startRuntime === false) return world;
    await world.start();
    await world.expectConfiguredGroupware();
    return world;
  }

  /** A world meant to run through Outlook must never pass by falling back to the vCard folder. */
  async expectConfiguredGroupware(): Promise<void> {
    const { groupware } = await this.runtime.services.connectors.overview();
    if (groupware.id !== this.side.connectorId || groupware.fallbackReason)
      throw new Error(
        `the world's groupware is ${groupware.id}, not ${this.side.connectorId}: ${groupware.fallbackReason ?? groupware.health.detail}`,
      );
  }

  get vcardFolder(): string {
    return asVcard(this.side).folder;
  }

  /** The SQLite state store of the running runtime. */
  get store(): StateStore {
    return this.runtime.stateStore;
  }

  get plans(): PlanService {
    return this.runtime.services.plans;
  }

  get configDir(): string {
    return join(this.dir, 'config');
  }

  /** What a crmsync process needs to reach this world's CRM. */
  get env(): NodeJS.ProcessEnv {
    return {
      CRMSYNC_REFERENCE_CRM_URL: this.crmServer.origin,
      CRM_API_KEY: this.crmServer.apiKey,
      ...this.side.env,
      ...(this.postgresUrl ? { CRMSYNC_POSTGRES_URL: this.postgresUrl } : {}),
    };
  }

  private async start(): Promise<void> {
    this.runtime = await createRuntime({ configDir: this.configDir, logger: false, env: this.env });
  }

  /** As after a crash or a reboot: a new runtime on the same folders and store. */
  async restart(): Promise<void> {
    await this.runtime.dispose();
    await this.start();
  }

  async close(): Promise<void> {
    await this.runtime?.dispose();
    await this.crmServer.close();
    await this.side.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  crm(): Promise<CrmConnector> {
    return this.runtime.kernel.get('crmConnectors', 'crm-rest');
  }

  groupware(): Promise<GroupwareConnector> {
    return this.runtime.kernel.get('groupwareConnectors', this.side.connectorId);
  }

  // ---- the CRM's data -------------------------------------------------------------------

  addPartner(partner: Pick<PartnerDoc, 'id' | 'name'> & Partial<PartnerDoc>): void {
    this.crmServer.store.insertPartners([{ emailDomains: [], updatedAt: now, ...partner }]);
  }

  addCrmContact(contact: Partial<ContactInput> & Pick<ContactInput, 'lastName' | 'partnerId'>): ContactDoc {
    const partner = this.crmServer.store.getPartner(contact.partnerId);
    return this.crmServer.store.createContact(
      { emails: [], phones: {}, groupwareSync: true, ...contact },
      now,
      partner?.name,
    );
  }

  setCrmPhoto(id: string, bytes: Uint8Array): void {
    this.crmServer.store.setPhoto(id, { mediaType: 'image/png', bytes }, now);
  }

  /** Changes a contact through the CRM's API, as a CRM user would. */
  async changeCrmContact(id: string, change: Partial<Contact>): Promise<void> {
    const crm = await this.crm();
    const current = await crm.getContact(id);
    if (!current) throw new Error(`the CRM has no contact ${id}`);
    for await (const outcome of crm.apply([
      {
        kind: 'update',
        key: `change-${id}-${Date.now()}`,
        id,
        expectedVersion: current.ids.crmVersion!,
        contact: { ...current, ...change },
      },
    ]))
      if (!outcome.ok) throw new Error(outcome.problem.message);
  }

  crmContactCount(): number {
    return this.crmServer.store.countContacts();
  }

  async crmContacts(): Promise<Contact[]> {
    const all: Contact[] = [];
    for await (const fetched of (await this.crm()).searchContacts({}))
      if (fetched.ok) all.push(fetched.value);
    return all;
  }

  // ---- the vCard folder, for cases only a file can show -------------------------------------

  /** A card as a person or Outlook would leave it in the folder: lines of vCard 3.0. */
  writeCard(fileName: string, ...lines: string[]): void {
    asVcard(this.side).writeCard(fileName, ...lines);
  }

  cardFiles(): string[] {
    return asVcard(this.side).ids();
  }

  readCard(fileName: string): string {
    return readFileSync(join(this.vcardFolder, fileName), 'utf8');
  }

  async groupwareContacts(): Promise<Contact[]> {
    const all: Contact[] = [];
    for await (const fetched of (await this.groupware()).listContacts())
      if (fetched.ok) all.push(fetched.value);
    return all;
  }

  // ---- plans ----------------------------------------------------------------------------

  async items(planId: string): Promise<PlanItem[]> {
    return (await this.plans.page(planId, { limit: 10_000 })).items;
  }
}

/** A tiny valid PNG (1×1 pixel). */
export const pixel = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);
