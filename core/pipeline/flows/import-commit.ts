import { injectable } from 'inversify';
import type { CommitFlow, CommitStep, ItemWork, StepResults } from '../commit/commit-step.js';
import { linkOf } from '../link-of.js';
import type { PlanHeader, PlanItem } from '../plan.js';
import type { CommitContext, CommitFlowFactory } from '../stages.js';
import { fittedTo } from './fit-contact.js';
import { plannedContact } from './planned-contact.js';

/**
 * Import commit (I7–I10): a sure duplicate or a contact without partner is refused, whoever
 * ticked it. Every other ticked contact is created in the CRM with its partner and photo; a
 * groupware contact then gets the new CRM id written back and is linked to it.
 */
@injectable()
export class ImportCommit implements CommitFlowFactory {
  flowFor(context: CommitContext): CommitFlow {
    return { work: (item, plan) => importWork(item, plan, context) };
  }
}

function importWork(item: PlanItem, plan: PlanHeader, context: CommitContext): ItemWork {
  const planned = item.groupware;
  if (item.duplicate?.verdict === 'sure') {
    const finding = item.duplicate.findings.find((f) => f.verdict === 'sure');
    return {
      refused:
        `a sure duplicate of CRM contact ${finding?.crmDisplayName ?? finding?.crmId ?? ''}`.trim() +
        (finding ? ` (${finding.reason})` : ''),
      reason: 'sure-duplicate',
      code: 'CRMSYNC_ERR_SURE_DUPLICATE',
    };
  }
  if (item.action === 'skip' && item.reason === 'already-linked')
    return {
      refused: `linked already to CRM contact ${item.crmId}`,
      reason: 'already-linked',
      code: 'CRMSYNC_ERR_PLAN_STATE',
    };
  if (!item.partner)
    return {
      refused: 'no business partner is assigned',
      reason: 'no-partner',
      code: 'CRMSYNC_ERR_NO_PARTNER',
    };
  if (!planned)
    return {
      refused: 'the plan holds no contact for this item',
      reason: 'error',
      code: 'CRMSYNC_ERR_NOT_FOUND',
    };
  const partnerId = item.partner.partner.id;
  const recordId = item.groupwareId ?? `plan item ${item.seq}`;
  const steps: CommitStep[] = [
    {
      name: 'crm-create',
      build: async () => {
        const contact = await plannedContact(planned, context.state.blobs, recordId);
        const { extensions: _groupwarePrivate, ...values } = contact;
        return {
          kind: 'write',
          side: 'crm',
          operation: {
            kind: 'create',
            contact: fittedTo(
              { ...values, partnerId, groupwareSync: true, ids: {} },
              context.crm.fieldSupport,
            ),
          },
        };
      },
    },
  ];
  const groupwareId = item.groupwareId;
  const version = planned.ids.groupwareVersion;
  if (groupwareId && version && plan.options.source !== 'file') {
    steps.push(
      {
        name: 'groupware-stamp',
        build: async (earlier: StepResults) => {
          const crmId = earlier.get('crm-create')?.id;
          if (!crmId) return undefined;
          const contact = await plannedContact(planned, context.state.blobs, groupwareId);
          return {
            kind: 'write',
            side: 'groupware',
            operation: {
              kind: 'update',
              id: groupwareId,
              expectedVersion: version,
              contact: { ...contact, ids: { ...contact.ids, crmId } },
            },
          };
        },
      },
      {
        name: 'link',
        build: (earlier: StepResults) => {
          const created = earlier.get('crm-create');
          const stamped = earlier.get('groupware-stamp');
          if (!created?.id || !stamped?.id) return undefined;
          const { photo: _bytesNotKept, ...baseline } = created.contact ?? planned;
          return {
            kind: 'link',
            link: linkOf({
              accountId: context.accountId,
              crmId: created.id,
              groupwareId: stamped.id,
              crmVersion: created.version,
              groupwareVersion: stamped.version,
              baseline,
              photoHash: planned.photo?.hash,
            }),
          };
        },
      },
    );
  }
  return { steps };
}
