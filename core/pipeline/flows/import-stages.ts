import { injectable } from 'inversify';
import type { BusinessPartner, Contact } from '../../domain/contact.js';
import { problemFromError } from '../../domain/errors.js';
import type { CrmPartnerQuery } from '../../ports/crm-connector.js';
import type { PartnerDirectory } from '../../ports/partner-resolver.js';
import { classifyContacts } from '../dedupe/index.js';
import type { PartnerAssignment } from '../plan.js';
import type { DraftItem, ImportStageContext, ItemStage, SelectStage } from '../stages.js';
import { refreshCandidateIndex } from './candidate-index-refresh.js';

/**
 * Import select (I2): the groupware's contacts, or the uploaded file's, that carry no CRM id.
 * Those that carry one are linked already; they are counted, not listed.
 */
@injectable()
export class ContactsWithoutCrmIdSelect implements SelectStage<ImportStageContext> {
  async *select(context: ImportStageContext): AsyncIterable<DraftItem> {
    const source = context.incoming ?? context.groupware?.listContacts();
    if (!source) return;
    context.counts.carryCrmId = 0;
    for await (const fetched of source) {
      if (!fetched.ok) {
        context.problems.push(fetched.problem);
        continue;
      }
      const contact = fetched.value;
      if (contact.ids.crmId) {
        context.counts.carryCrmId += 1;
        continue;
      }
      const item: DraftItem['item'] = { seq: 0, selected: false, action: 'create', reason: 'not-selected' };
      if (!context.incoming && contact.ids.groupwareId) item.groupwareId = contact.ids.groupwareId;
      yield { item, groupware: contact };
    }
  }
}

/** Import match: a groupware contact linked already (its CRM id was lost on the way) is not imported again. */
@injectable()
export class LinkedGroupwareMatch implements ItemStage<ImportStageContext> {
  async run(batch: DraftItem[], context: ImportStageContext): Promise<void> {
    for (const draft of batch) {
      const groupwareId = draft.item.groupwareId;
      if (!groupwareId) continue;
      const link = await context.state.links.get(context.plan.accountId, { groupwareId });
      if (!link) continue;
      Object.assign(draft.item, { crmId: link.crmId, action: 'skip', reason: 'already-linked' });
    }
  }
}

/**
 * Import dedupe (I6): each contact's verdict against the CRM, from the index of CRM contacts
 * kept current through the CRM's change feed. A sure duplicate cannot be imported (I7).
 */
@injectable()
export class CrmDuplicateDedupe implements ItemStage<ImportStageContext> {
  private readonly refreshed = new WeakMap<ImportStageContext, Promise<void>>();

  async run(batch: DraftItem[], context: ImportStageContext): Promise<void> {
    const open = batch.filter((draft) => draft.groupware && draft.item.action !== 'skip');
    if (open.length === 0 || context.rules.length === 0) return;
    let refresh = this.refreshed.get(context);
    if (!refresh) {
      refresh = refreshCandidateIndex(context.state.candidates, context.crm, context.rules);
      this.refreshed.set(context, refresh);
    }
    await refresh;
    const verdicts = await classifyContacts(
      open.map((draft) => draft.groupware!),
      context.rules,
      context.state.candidates,
    );
    open.forEach((draft, at) => {
      const duplicate = verdicts[at]!;
      draft.item.duplicate = duplicate;
      if (duplicate.verdict === 'sure')
        Object.assign(draft.item, { action: 'skip', reason: 'sure-duplicate' });
      else if (duplicate.verdict === 'possible') draft.item.reason = 'possible-duplicate';
    });
  }
}

/**
 * Import assign (I5): the business partner each contact belongs to, as the resolvers tell.
 * Exactly one partner among all suggestions is pre-assigned, with the reason; several are
 * offered to the user; none leaves the contact without partner, which the user must choose.
 * A contact that is no duplicate and has its partner is ticked for import (I8).
 */
@injectable()
export class ResolverPartnerAssign implements ItemStage<ImportStageContext> {
  private readonly directories = new WeakMap<ImportStageContext, PartnerDirectory>();

  async run(batch: DraftItem[], context: ImportStageContext): Promise<void> {
    let directory = this.directories.get(context);
    if (!directory) {
      directory = partnerDirectory(context);
      this.directories.set(context, directory);
    }
    for (const draft of batch) {
      if (!draft.groupware || draft.item.action === 'skip') continue;
      const suggestions = await this.suggest(draft.groupware, context, directory);
      const distinct = new Map<string, PartnerAssignment>();
      for (const suggestion of suggestions)
        if (!distinct.has(suggestion.partner.id)) distinct.set(suggestion.partner.id, suggestion);
      if (distinct.size === 1) draft.item.partner = [...distinct.values()][0]!;
      else if (distinct.size > 1) draft.item.partnerCandidates = [...distinct.values()];
      if (!draft.item.partner) {
        if (draft.item.reason === 'not-selected') draft.item.reason = 'no-partner';
      } else if (draft.item.duplicate?.verdict !== 'possible') {
        Object.assign(draft.item, { selected: true, reason: 'selected' });
      }
    }
  }

  private async suggest(
    contact: Contact,
    context: ImportStageContext,
    directory: PartnerDirectory,
  ): Promise<PartnerAssignment[]> {
    const found: PartnerAssignment[] = [];
    for (const { id, resolver } of context.resolvers) {
      try {
        for (const { partner, reason } of await resolver.resolve(contact, directory))
          found.push({
            partner: { id: partner.id, name: partner.name },
            by: 'resolver',
            resolverId: id,
            reason,
          });
      } catch (error) {
        // A resolver that fails costs its suggestion, never the plan.
        context.problems.push(problemFromError(error, { field: `partnerResolvers/${id}` }));
      }
    }
    return found;
  }
}

/**
 * The CRM's partners as the resolvers search them, each search asked of the CRM once per
 * plan: the contacts of one company ask the same question, and 10,000 of them must not mean
 * 10,000 requests.
 */
function partnerDirectory(context: ImportStageContext): PartnerDirectory {
  const answers = new Map<string, Promise<BusinessPartner[]>>();
  const ask = async (query: CrmPartnerQuery) => {
    const found: BusinessPartner[] = [];
    for await (const fetched of context.crm.searchPartners(query)) if (fetched.ok) found.push(fetched.value);
    return found;
  };
  return {
    async *searchPartners(query): AsyncIterable<BusinessPartner> {
      const key = JSON.stringify(query, Object.keys(query).sort());
      let answer = answers.get(key);
      if (!answer) {
        answer = ask(query);
        answers.set(key, answer);
        // A search that failed is asked again by the next contact, not answered with the failure.
        answer.catch(() => answers.delete(key));
      }
      yield* await answer;
    },
  };
}
