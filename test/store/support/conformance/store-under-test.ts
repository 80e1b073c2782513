import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type ContactJson,
  type Link,
  openStateStore,
  type StateStore,
  type StateStoreConfig,
} from '../../../../core/index.js';
import type { PlanItem } from '../../../../core/pipeline/plan.js';
import type { ContenderOrder } from '../store-contender.js';
import type { StoreFixture } from '../store-fixtures.js';

/** The store a test works with; `restart` closes it and opens the same store again. */
export class StoreUnderTest {
  fixture!: StoreFixture;
  config!: StateStoreConfig;
  store!: StateStore;

  async openFresh(): Promise<void> {
    this.config = await this.fixture.fresh();
    this.store = await openStateStore(this.config);
  }

  async restart(): Promise<void> {
    await this.store.close();
    this.store = await openStateStore(this.config);
  }
}

const runChild = promisify(execFile);
const contenderScript = join(dirname(fileURLToPath(import.meta.url)), '..', 'store-contender.js');

/** Runs one order in a process of its own and answers what it printed. */
export async function inAnotherProcess(order: ContenderOrder): Promise<Record<string, unknown>> {
  const { stdout } = await runChild(process.execPath, [contenderScript, JSON.stringify(order)]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

export { collect as all, rejection } from '../../../support/async-items.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function person(surname: string, extra: Partial<ContactJson> = {}): ContactJson {
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

export function link(crmId: string, groupwareId: string, extra: Partial<Link> = {}): Link {
  return {
    accountId: 'vcard-file:/srv/a',
    crmId,
    groupwareId,
    baseline: person(crmId),
    syncedAt: 1_790_000_000_123,
    ...extra,
  };
}

export function item(seq: number, extra: Partial<PlanItem> = {}): PlanItem {
  return { seq, selected: true, action: 'create', reason: 'selected', crmId: `crm-${seq}`, ...extra };
}

export const photoA = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
export const photoB = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 4, 5, 6]);
