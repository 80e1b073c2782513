import { randomUUID } from 'node:crypto';
import {
  type Contact,
  type ContactStore,
  type CrmConnector,
  CrmsyncError,
  exportedContact,
  type StateStore,
  type SyncTargets,
  snapshotOf,
  type WriteOperation,
  type WriteOutcome,
} from '../../core/index.js';
import { fittedTo } from '../../core/pipeline/flows/fit-contact.js';

/** Long enough for one contact's few writes; a crashed host never blocks the account for longer. */
const leaseTtlMs = 30_000;

export interface ContactSyncStatus {
  crmId: string;
  /** Linked to a copy in the groupware account and flagged to sync (S2's "synchronised"). */
  synchronised: boolean;
  /** The CRM's own sync flag, when the CRM holds one. */
  syncFlag?: boolean;
  groupwareId?: string;
  accountId: string;
}

/**
 * The CRM contact view's switch (S2): whether a contact is synchronised with a groupware
 * account (the default one unless named); *add to groupware* creates its copy there, links
 * it and turns its sync flag on; *remove from groupware* deletes the copy, unlinks it and
 * turns the flag off, so the next sync leaves it alone. A repeated add or remove changes
 * nothing: a copy already made (found by its CRM id) is linked rather than made twice.
 */
export class ContactSyncToggle {
  constructor(
    private readonly state: StateStore,
    /** The CRM and the account named (the default one unless named): a sync of it works on the same. */
    private readonly targets: (account?: string) => Promise<SyncTargets>,
  ) {}

  async status(crmId: string, account?: string): Promise<ContactSyncStatus> {
    const { crm, accountId } = await this.targets(account);
    const contact = await this.crmContact(crm, crmId);
    return this.statusOf(contact, crmId, accountId);
  }

  add(crmId: string, account?: string): Promise<ContactSyncStatus> {
    return this.holdingAccount(account, (targets) => this.added(crmId, targets));
  }

  remove(crmId: string, account?: string): Promise<ContactSyncStatus> {
    return this.holdingAccount(account, (targets) => this.removed(crmId, targets));
  }

  /** Changes one contact while no run writes to the account, which it holds meanwhile. */
  private async holdingAccount(
    account: string | undefined,
    work: (targets: SyncTargets) => Promise<ContactSyncStatus>,
  ): Promise<ContactSyncStatus> {
    const targets = await this.targets(account);
    const holder = `toggle:${randomUUID()}`;
    if (!(await this.state.leases.acquire(targets.accountId, holder, leaseTtlMs)))
      throw new CrmsyncError(
        'CRMSYNC_ERR_ACCOUNT_BUSY',
        `a run is writing to ${targets.accountId}; try again when it has finished`,
        { recordId: targets.accountId },
      );
    try {
      return await work(targets);
    } finally {
      await this.state.leases.release(targets.accountId, holder);
    }
  }

  private async added(crmId: string, { crm, groupware, accountId }: SyncTargets): Promise<ContactSyncStatus> {
    let contact = await this.crmContact(crm, crmId);
    if (contact.groupwareSync === false) contact = await this.setFlag(crm, contact, true);
    if (await this.state.links.get(accountId, { crmId })) return this.statusOf(contact, crmId, accountId);

    const photo = contact.photo ?? (await crm.getPhoto(crmId));
    const withPhoto = photo ? { ...contact, photo } : contact;
    const copy =
      (await groupware.findByCrmId(crmId)) ??
      (await written(groupware, {
        kind: 'create',
        key: `toggle-add:${crmId}:${randomUUID()}`,
        contact: fittedTo(exportedContact(withPhoto, crm.fieldSupport), groupware.fieldSupport),
      }));
    const groupwareId = copy.ids.groupwareId;
    if (!groupwareId)
      throw new CrmsyncError('CRMSYNC_ERR_INTERNAL', 'the groupware answered the new copy without its id', {
        recordId: crmId,
      });
    const { photo: _bytesNotKept, ...baseline } = snapshotOf(copy);
    await this.state.links.put({
      accountId,
      crmId,
      groupwareId,
      ...(contact.ids.crmVersion ? { crmVersion: contact.ids.crmVersion } : {}),
      ...(copy.ids.groupwareVersion ? { groupwareVersion: copy.ids.groupwareVersion } : {}),
      baseline,
      ...(copy.photo?.hash ? { photoHash: copy.photo.hash } : {}),
      syncedAt: Date.now(),
    });
    return this.statusOf(contact, crmId, accountId);
  }

  private async removed(
    crmId: string,
    { crm, groupware, accountId }: SyncTargets,
  ): Promise<ContactSyncStatus> {
    let contact = await this.crmContact(crm, crmId);
    // The flag first: a sync between the two steps must not bring the copy back.
    if (contact.groupwareSync !== false) contact = await this.setFlag(crm, contact, false);
    const link = await this.state.links.get(accountId, { crmId });
    const copy = link ? await groupware.getContact(link.groupwareId) : await groupware.findByCrmId(crmId);
    if (copy?.ids.groupwareId) {
      const version = copy.ids.groupwareVersion;
      if (!version)
        throw new CrmsyncError(
          'CRMSYNC_ERR_NO_VERSION',
          'the groupware copy has no version to delete it by',
          {
            recordId: copy.ids.groupwareId,
          },
        );
      await written(groupware, {
        kind: 'delete',
        key: `toggle-remove:${crmId}:${randomUUID()}`,
        id: copy.ids.groupwareId,
        expectedVersion: version,
      });
    }
    if (link) await this.state.links.remove(accountId, crmId);
    return this.statusOf(contact, crmId, accountId);
  }

  private async crmContact(crm: CrmConnector, crmId: string): Promise<Contact> {
    const contact = await crm.getContact(crmId);
    if (!contact)
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `the CRM has no contact ${crmId}`, { recordId: crmId });
    return contact;
  }

  private async statusOf(contact: Contact, crmId: string, accountId: string): Promise<ContactSyncStatus> {
    const link = await this.state.links.get(accountId, { crmId });
    return {
      crmId,
      synchronised: link !== undefined && contact.groupwareSync !== false,
      ...(contact.groupwareSync !== undefined ? { syncFlag: contact.groupwareSync } : {}),
      ...(link ? { groupwareId: link.groupwareId } : {}),
      accountId,
    };
  }

  /** Turns the CRM's sync flag on or off, when the CRM holds one. */
  private async setFlag(crm: CrmConnector, contact: Contact, on: boolean): Promise<Contact> {
    const version = contact.ids.crmVersion;
    if (!crm.fieldSupport.scalars.includes('groupwareSync') || !version) return contact;
    const { photo: _sentOnItsOwn, ...values } = contact;
    return written(crm, {
      kind: 'update',
      key: `toggle-flag:${contact.ids.crmId}:${randomUUID()}`,
      id: contact.ids.crmId ?? '',
      expectedVersion: version,
      contact: { ...values, groupwareSync: on },
    });
  }
}

/** Applies one operation and answers the contact as written (or read back), failing with its problem. */
async function written(store: ContactStore, operation: WriteOperation): Promise<Contact> {
  let outcome: WriteOutcome | undefined;
  for await (const each of store.apply([operation])) outcome = each;
  if (!outcome) throw new CrmsyncError('CRMSYNC_ERR_INTERNAL', 'the store answered no outcome');
  if (!outcome.ok)
    throw new CrmsyncError(outcome.problem.code, outcome.problem.message, outcome.problem.location);
  if (outcome.contact) return outcome.contact;
  if (operation.kind === 'delete') return { ids: {} } as Contact;
  const read = await store.getContact(outcome.id);
  if (!read)
    throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `the written contact ${outcome.id} is gone`, {
      recordId: outcome.id,
    });
  return read;
}
