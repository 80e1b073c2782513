import type { Contact } from '../../domain/contact.js';
import type { ContactJson } from '../../domain/contact-json.js';
import { CrmsyncError } from '../../domain/errors.js';
import type { FieldSupport } from '../../ports/field-support.js';
import type { BlobRepository, Link } from '../../store/state-store.js';
import type { CommitFlow, CommitStep, ItemWork, StepResults } from '../commit/commit-step.js';
import { storedPhotoBytes } from '../flows/planned-contact.js';
import { linkOf } from '../link-of.js';
import { heldBy, mergeContact } from '../merge/merge-contact.js';
import type { PlanHeader, PlanItem } from '../plan.js';
import { contactOf as contactWithoutPhoto } from '../snapshot.js';
import type { SyncPlanOptions, SyncTargets } from './sync-targets.js';

/**
 * Commit for sync plans: the write steps of each item, run by the shared executor (journal,
 * resume, one item failing never stops the others). A merged pair is merged again here from
 * the item's snapshots and the baseline it was planned against — the same pure merge the plan
 * showed — so the plan keeps no second copy of each contact.
 */
export class SyncCommitFlow implements CommitFlow {
  constructor(
    private readonly targets: SyncTargets,
    private readonly blobs: BlobRepository,
  ) {}

  async work(item: PlanItem, plan: PlanHeader): Promise<ItemWork> {
    const options = plan.options as unknown as SyncPlanOptions;
    switch (item.reason) {
      case 'changed':
      case 'conflict':
      case 'cannot-hold':
      case 'unchanged':
        return { steps: await this.mergeSteps(item, options) };
      case 'sync-turned-on':
        return { steps: this.addSteps(item, options) };
      case 'sync-turned-off':
        return { steps: this.removeSteps(item) };
      case 'deleted-in-groupware':
        return { steps: this.flagOffSteps(item) };
      default:
        return { steps: [] };
    }
  }

  private async mergeSteps(item: PlanItem, options: SyncPlanOptions): Promise<CommitStep[]> {
    const baseline = item.changes?.baseline;
    if (!baseline || !item.crm || !item.groupware)
      throw new CrmsyncError(
        'CRMSYNC_ERR_PLAN_STATE',
        'the plan item lacks the contacts it was merged from',
        {
          recordId: item.crmId,
        },
      );
    // The baseline the plan merged against, not the link's now: a resumed commit may have
    // updated the link already, and must repeat the same writes, not merge anew.
    const merge = mergeContact({
      baseline,
      crm: contactOf(item.crm),
      groupware: contactOf(item.groupware),
      support: this.support(),
      policy: options.policy,
    });
    const crmFields = Object.keys(merge.toCrm).filter((field) => field !== 'photo');
    const groupwareFields = Object.keys(merge.toGroupware).filter((field) => field !== 'photo');
    const crmId = item.crmId!;
    const groupwareId = item.groupwareId!;
    const crmVersion = (earlier: StepResults) =>
      earlier.get('crm-photo')?.version ?? earlier.get('crm-update')?.version ?? item.crm!.ids.crmVersion!;
    const groupwareVersion = (earlier: StepResults) =>
      earlier.get('groupware-photo')?.version ??
      earlier.get('groupware-update')?.version ??
      item.groupware!.ids.groupwareVersion!;
    const steps: CommitStep[] = [];
    if (crmFields.length > 0)
      steps.push({
        name: 'crm-update',
        build: async () => ({
          kind: 'write',
          side: 'crm',
          operation: {
            kind: 'update',
            id: crmId,
            expectedVersion: item.crm!.ids.crmVersion!,
            contact: await this.withPhotoBytes(merge.crm),
          },
        }),
      });
    if ('photo' in merge.toCrm)
      steps.push({
        name: 'crm-photo',
        build: async (earlier) => ({
          kind: 'write',
          side: 'crm',
          operation: {
            kind: 'photo',
            id: crmId,
            expectedVersion: crmVersion(earlier),
            photo: (await this.withPhotoBytes(merge.crm)).photo,
          },
        }),
      });
    if (groupwareFields.length > 0)
      steps.push({
        name: 'groupware-update',
        build: async () => ({
          kind: 'write',
          side: 'groupware',
          operation: {
            kind: 'update',
            id: groupwareId,
            expectedVersion: item.groupware!.ids.groupwareVersion!,
            contact: await this.withPhotoBytes(merge.groupware),
          },
        }),
      });
    if ('photo' in merge.toGroupware)
      steps.push({
        name: 'groupware-photo',
        build: async (earlier) => ({
          kind: 'write',
          side: 'groupware',
          operation: {
            kind: 'photo',
            id: groupwareId,
            expectedVersion: groupwareVersion(earlier),
            photo: (await this.withPhotoBytes(merge.groupware)).photo,
          },
        }),
      });
    steps.push({
      name: 'link',
      build: (earlier) => ({
        kind: 'link',
        link: this.link(crmId, groupwareId, merge.baseline, crmVersion(earlier), groupwareVersion(earlier)),
      }),
    });
    return steps;
  }

  private addSteps(item: PlanItem, options: SyncPlanOptions): CommitStep[] {
    const crm = item.crm!;
    return [
      {
        name: 'groupware-create',
        build: async () => {
          const contact = heldBy(
            await this.withPhotoBytes(contactOf(crm)),
            this.targets.groupware.fieldSupport,
          );
          // The copy carries the CRM id (E5) and nothing else of the CRM's identity.
          contact.ids = { crmId: item.crmId! };
          return { kind: 'write', side: 'groupware', operation: { kind: 'create', contact } };
        },
      },
      {
        name: 'link',
        build: (earlier) => {
          const created = earlier.get('groupware-create')!;
          const copy = created.contact ?? crm;
          const merge = mergeContact({
            baseline: crm,
            crm: contactOf(crm),
            groupware: contactOf(copy),
            support: this.support(),
            policy: options.policy,
          });
          return {
            kind: 'link',
            link: this.link(item.crmId!, created.id!, merge.baseline, crm.ids.crmVersion, created.version),
          };
        },
      },
    ];
  }

  private removeSteps(item: PlanItem): CommitStep[] {
    const steps: CommitStep[] = [];
    const copy = item.groupware;
    if (copy)
      steps.push({
        name: 'groupware-delete',
        build: () => ({
          kind: 'write',
          side: 'groupware',
          operation: { kind: 'delete', id: item.groupwareId!, expectedVersion: copy.ids.groupwareVersion! },
        }),
      });
    steps.push({ name: 'unlink', build: () => ({ kind: 'unlink', crmId: item.crmId! }) });
    return steps;
  }

  private flagOffSteps(item: PlanItem): CommitStep[] {
    const steps: CommitStep[] = [];
    const crm = item.crm;
    if (crm && this.targets.crm.fieldSupport.scalars.includes('groupwareSync'))
      steps.push({
        name: 'crm-sync-off',
        build: () => ({
          kind: 'write',
          side: 'crm',
          operation: {
            kind: 'update',
            id: item.crmId!,
            expectedVersion: crm.ids.crmVersion!,
            contact: { ...contactOf(crm), groupwareSync: false },
          },
        }),
      });
    steps.push({ name: 'unlink', build: () => ({ kind: 'unlink', crmId: item.crmId! }) });
    return steps;
  }

  private link(
    crmId: string,
    groupwareId: string,
    baseline: ContactJson,
    crmVersion: string | undefined,
    groupwareVersion: string | undefined,
  ): Link {
    return linkOf({
      accountId: this.targets.accountId,
      crmId,
      groupwareId,
      baseline,
      crmVersion,
      groupwareVersion,
      photoHash: baseline.photo?.hash,
    });
  }

  private support(): { crm: FieldSupport; groupware: FieldSupport } {
    return { crm: this.targets.crm.fieldSupport, groupware: this.targets.groupware.fieldSupport };
  }

  /** The contact with its photo's bytes from the blobs, where the plan stored them. */
  private async withPhotoBytes(contact: Contact): Promise<Contact> {
    const photo = contact.photo;
    if (!photo?.hash || photo.bytes) return contact;
    const bytes = await storedPhotoBytes(
      photo.hash,
      this.blobs,
      contact.ids.crmId ?? contact.ids.groupwareId,
    );
    return { ...contact, photo: { ...photo, bytes } };
  }
}

/** A snapshot as a contact that still names its photo by hash, which is all the merge compares. */
function contactOf(snapshot: ContactJson): Contact {
  const contact = contactWithoutPhoto(snapshot);
  const photo = snapshot.photo;
  if (!contact.photo && photo?.hash) contact.photo = { mediaType: photo.mediaType, hash: photo.hash };
  return contact;
}
