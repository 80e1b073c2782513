import type { ContactJson } from '../../domain/contact-json.js';
import type { CandidateIndex, IndexedContact } from '../state-store.js';
import {
  chunks,
  fromJson,
  MAX_PARAMETERS,
  type StoreContext,
  type StoreDb,
  toJson,
} from '../store-context.js';

const STATE_ROW = 1;

export class SqlCandidateIndex implements CandidateIndex {
  constructor(private readonly context: StoreContext) {}

  async upsert(contacts: readonly IndexedContact[]): Promise<void> {
    if (contacts.length === 0) return;
    // The last entry wins when one batch names a contact twice, as a later change would.
    const latest = new Map(contacts.map((contact) => [contact.crmId, contact]));
    await this.context.atomically(async (db) => {
      await deleteKeysOf(db, [...latest.keys()]);
      const contactRows = [...latest.values()].map(({ crmId, contact }) => ({
        crm_id: crmId,
        contact: toJson(contact),
      }));
      for (const batch of chunks(contactRows, MAX_PARAMETERS / 2))
        await db
          .insertInto('index_contacts')
          .values(batch)
          .onConflict((conflict) =>
            conflict.column('crm_id').doUpdateSet((eb) => ({ contact: eb.ref('excluded.contact') })),
          )
          .execute();
      const keyRows = [...latest.values()].flatMap(({ crmId, keys }) =>
        [...new Set(keys)].map((key) => ({ key, crm_id: crmId })),
      );
      for (const batch of chunks(keyRows, MAX_PARAMETERS / 2))
        await db.insertInto('index_keys').values(batch).execute();
    });
  }

  async remove(crmIds: readonly string[]): Promise<void> {
    if (crmIds.length === 0) return;
    await this.context.atomically(async (db) => {
      await deleteKeysOf(db, [...new Set(crmIds)]);
      for (const batch of chunks([...new Set(crmIds)], MAX_PARAMETERS))
        await db.deleteFrom('index_contacts').where('crm_id', 'in', batch).execute();
    });
  }

  async candidates(
    keySets: readonly (readonly string[])[],
  ): Promise<{ crmId: string; contact: ContactJson; sharedKeys: string[] }[][]> {
    const db = this.context.db;
    const holders = new Map<string, string[]>();
    for (const batch of chunks([...new Set(keySets.flat())], MAX_PARAMETERS)) {
      const rows = await db
        .selectFrom('index_keys')
        .select(['key', 'crm_id'])
        .where('key', 'in', batch)
        .execute();
      for (const { key, crm_id } of rows) {
        const ids = holders.get(key);
        if (ids) ids.push(crm_id);
        else holders.set(key, [crm_id]);
      }
    }
    const contacts = new Map<string, ContactJson>();
    const wanted = [...new Set([...holders.values()].flat())];
    for (const batch of chunks(wanted, MAX_PARAMETERS)) {
      const rows = await db
        .selectFrom('index_contacts')
        .select(['crm_id', 'contact'])
        .where('crm_id', 'in', batch)
        .execute();
      for (const row of rows) contacts.set(row.crm_id, fromJson<ContactJson>(row.contact));
    }
    return keySets.map((keys) => {
      const shared = new Map<string, string[]>();
      for (const key of new Set(keys))
        for (const crmId of holders.get(key) ?? []) {
          const sharedKeys = shared.get(crmId);
          if (sharedKeys) sharedKeys.push(key);
          else shared.set(crmId, [key]);
        }
      return [...shared]
        .filter(([crmId]) => contacts.has(crmId))
        .map(([crmId, sharedKeys]) => ({ crmId, contact: contacts.get(crmId)!, sharedKeys }));
    });
  }

  async size(): Promise<number> {
    const row = await this.context.db
      .selectFrom('index_contacts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async clear(): Promise<void> {
    // An empty index is current to no cursor: the state goes with it.
    await this.context.atomically(async (db) => {
      await db.deleteFrom('index_keys').execute();
      await db.deleteFrom('index_contacts').execute();
      await db.deleteFrom('index_state').execute();
    });
  }

  async getState(): Promise<{ cursor?: string; rulesFingerprint?: string }> {
    const row = await this.context.db
      .selectFrom('index_state')
      .select(['cursor', 'rules_fingerprint'])
      .where('id', '=', STATE_ROW)
      .executeTakeFirst();
    const state: { cursor?: string; rulesFingerprint?: string } = {};
    if (row?.cursor != null) state.cursor = row.cursor;
    if (row?.rules_fingerprint != null) state.rulesFingerprint = row.rules_fingerprint;
    return state;
  }

  /** Writes the fields given; a field left out keeps its value. */
  async setState(state: { cursor?: string; rulesFingerprint?: string }): Promise<void> {
    const change: { cursor?: string; rules_fingerprint?: string } = {};
    if (state.cursor !== undefined) change.cursor = state.cursor;
    if (state.rulesFingerprint !== undefined) change.rules_fingerprint = state.rulesFingerprint;
    if (Object.keys(change).length === 0) return;
    await this.context.db
      .insertInto('index_state')
      .values({ id: STATE_ROW, cursor: null, rules_fingerprint: null, ...change })
      .onConflict((conflict) => conflict.column('id').doUpdateSet(change))
      .execute();
  }
}

async function deleteKeysOf(db: StoreDb, crmIds: readonly string[]): Promise<void> {
  for (const batch of chunks(crmIds, MAX_PARAMETERS))
    await db.deleteFrom('index_keys').where('crm_id', 'in', batch).execute();
}
