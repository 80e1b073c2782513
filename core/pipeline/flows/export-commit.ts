import { injectable } from 'inversify';
import type { Contact } from '../../domain/contact.js';
import { CrmsyncError } from '../../domain/errors.js';
import { type FieldSupport, scalarFields } from '../../ports/field-support.js';
import type { CommitFlow, ItemWork, StepResults } from '../commit/commit-step.js';
import { linkOf } from '../link-of.js';
import type { PlanItem } from '../plan.js';
import type { CommitContext, CommitFlowFactory } from '../stages.js';
import { fittedTo } from './fit-contact.js';
import { plannedContact } from './planned-contact.js';
import { sameContent } from './same-content.js';

/**
 * Export commit (E5, E7): each selected CRM contact is written to the groupware with its CRM
 * id and photo (created, or its copy updated), then linked with the contact as written as the
 * baseline of later syncs.
 */
@injectable()
export class ExportCommit implements CommitFlowFactory {
  flowFor(context: CommitContext): CommitFlow {
    return { work: (item) => exportWork(item, context) };
  }
}

function exportWork(item: PlanItem, context: CommitContext): ItemWork {
  const planned = item.crm;
  const crmId = item.crmId;
  if (!planned || !crmId)
    return {
      refused: 'the plan holds no CRM contact for this item',
      reason: 'error',
      code: 'CRMSYNC_ERR_NOT_FOUND',
    };
  const counterpart = item.action === 'update' ? item.groupware : undefined;
  return {
    steps: [
      {
        name: 'groupware-write',
        build: async () => {
          const crm = await plannedContact(planned, context.state.blobs, crmId);
          if (!counterpart || !item.groupwareId) {
            return {
              kind: 'write' as const,
              side: 'groupware' as const,
              operation: {
                kind: 'create' as const,
                contact: fittedTo(
                  exportedContact(crm, context.crm.fieldSupport),
                  context.groupware.fieldSupport,
                ),
              },
            };
          }
          const version = counterpart.ids.groupwareVersion;
          if (!version)
            throw new CrmsyncError(
              'CRMSYNC_ERR_NO_VERSION',
              'the groupware copy was planned without its version',
              {
                recordId: item.groupwareId,
              },
            );
          const existing = await plannedContact(counterpart, context.state.blobs, item.groupwareId);
          const contact = fittedTo(
            exportedContact(crm, context.crm.fieldSupport, existing),
            context.groupware.fieldSupport,
          );
          // A copy that already says what the CRM says is left as it is: re-exporting writes only changes.
          if (sameContent(contact, existing)) return undefined;
          return {
            kind: 'write' as const,
            side: 'groupware' as const,
            operation: { kind: 'update' as const, id: item.groupwareId, expectedVersion: version, contact },
          };
        },
      },
      {
        // Exported means synchronised from now on (S2): a contact whose CRM sync flag stayed off
        // would lose its new copy at the next sync.
        name: 'crm-sync-on',
        build: async () => {
          const version = planned.ids.crmVersion;
          if (planned.groupwareSync !== false || !version) return undefined;
          if (!context.crm.fieldSupport.scalars.includes('groupwareSync')) return undefined;
          const { photo: _sentOnItsOwn, ...crm } = await plannedContact(planned, context.state.blobs, crmId);
          return {
            kind: 'write' as const,
            side: 'crm' as const,
            operation: {
              kind: 'update' as const,
              id: crmId,
              expectedVersion: version,
              contact: { ...crm, groupwareSync: true },
            },
          };
        },
      },
      {
        name: 'link',
        build: (earlier: StepResults) => {
          // Written now, or (unchanged) the copy as it was planned.
          const written = earlier.get('groupware-write');
          const groupwareId = written?.id ?? (written?.skipped ? item.groupwareId : undefined);
          if (!groupwareId) return undefined;
          const groupwareVersion =
            written?.version ?? (written?.skipped ? counterpart?.ids.groupwareVersion : undefined);
          const crmVersion = earlier.get('crm-sync-on')?.version ?? planned.ids.crmVersion;
          const { photo: _bytesNotKept, ...baseline } = written?.contact ?? counterpart ?? planned;
          return {
            kind: 'link' as const,
            link: linkOf({
              accountId: context.accountId,
              crmId,
              groupwareId,
              crmVersion,
              groupwareVersion,
              baseline,
              photoHash: planned.photo?.hash,
            }),
          };
        },
      },
    ],
  };
}

/**
 * The contact the groupware receives: the CRM's values, stamped with the CRM id (E5). Written
 * over an existing copy, the fields the CRM cannot hold keep the copy's values (a nickname,
 * categories), so an export never empties what only the groupware knows.
 */
export function exportedContact(crm: Contact, crmHolds: FieldSupport, copy?: Contact): Contact {
  const { extensions: _crmPrivate, createdAt: _c, updatedAt: _u, ...values } = crm;
  const ids: Contact['ids'] = { crmId: crm.ids.crmId };
  if (copy?.ids.uid) ids.uid = copy.ids.uid;
  if (!copy) return { ...values, ids };
  const merged: Contact = { ...copy, ids };
  const target = merged as unknown as Record<string, unknown>;
  const source = values as unknown as Record<string, unknown>;
  for (const field of scalarFields) {
    // The display name follows the name parts unless the CRM has its own.
    if (crmHolds.scalars.includes(field) || field === 'displayName') target[field] = source[field];
  }
  merged.emails = values.emails;
  merged.phones = values.phones;
  merged.addresses = values.addresses;
  if (crmHolds.categories) merged.categories = values.categories;
  if (crmHolds.photo) {
    if (values.photo) merged.photo = values.photo;
    else delete merged.photo;
  }
  return merged;
}
