import { injectable } from 'inversify';
import type { Contact } from '../../domain/contact.js';
import type { CrmContactQuery } from '../../ports/crm-connector.js';
import { classifyContacts, indexEntry, MemoryCandidateIndex } from '../dedupe/index.js';
import type { DraftItem, ItemStage, SelectStage, StageContext } from '../stages.js';
import { groupwareListingOf } from './groupware-listing.js';

/** Export select (E2): the CRM's contacts matching the search criteria, with their photos (E7). */
@injectable()
export class CrmSearchSelect implements SelectStage {
  async *select(context: StageContext): AsyncIterable<DraftItem> {
    const query = (context.plan.options.query ?? {}) as CrmContactQuery;
    for await (const fetched of context.crm.searchContacts(query)) {
      if (!fetched.ok) {
        context.problems.push(fetched.problem);
        continue;
      }
      const contact = fetched.value;
      if (contact.ids.crmId && !contact.photo?.bytes && mayHavePhoto(contact, context)) {
        const photo = await context.crm.getPhoto(contact.ids.crmId);
        if (photo) contact.photo = photo;
      }
      yield {
        item: { seq: 0, selected: false, crmId: contact.ids.crmId, action: 'create', reason: 'not-selected' },
        crm: contact,
      };
    }
  }
}

/**
 * Whether the CRM's photo must be asked for. A connector that knows from the record whether
 * it has one says so as `hasPhoto` in its extension; without that word, every contact is
 * asked for, since a missing photo must not travel as "no photo" (E7).
 */
function mayHavePhoto(contact: Contact, context: StageContext): boolean {
  if (!context.crm.capabilities.photos) return false;
  const said = Object.values(contact.extensions ?? {}).map(
    (extension) => (extension as { hasPhoto?: unknown } | undefined)?.hasPhoto,
  );
  return said.includes(true) || !said.some((value) => value === false);
}

/**
 * Export match (E4): the groupware copy of each CRM contact, through the link or through the
 * CRM id the copy carries. A contact exported before is pre-selected and updated, never
 * created a second time.
 */
@injectable()
export class ExportedBeforeMatch implements ItemStage {
  async run(batch: DraftItem[], context: StageContext): Promise<void> {
    const { groupware } = context;
    if (!groupware) return;
    for (const draft of batch) {
      const crmId = draft.item.crmId;
      if (!crmId) continue;
      const link = await context.state.links.get(context.plan.accountId, { crmId });
      let counterpart = link && (await groupware.getContact(link.groupwareId).catch(() => undefined));
      if (!counterpart) {
        const groupwareId = (await groupwareListingOf(context)).copiesByCrmId.get(crmId);
        counterpart = groupwareId === undefined ? undefined : await groupware.getContact(groupwareId);
      }
      if (!counterpart?.ids.groupwareId) continue;
      draft.groupware = counterpart;
      Object.assign(draft.item, {
        groupwareId: counterpart.ids.groupwareId,
        selected: true,
        action: 'update',
        reason: 'exported-before',
      });
    }
  }
}

/** Groupware contacts without a CRM id, indexed by the sure rules, built once per plan. */
interface UnlinkedGroupware {
  index: MemoryCandidateIndex;
  contacts: Map<string, Contact>;
  claimed: Set<string>;
}

/**
 * Export dedupe: an unlinked groupware contact that is a sure duplicate of an exported CRM
 * contact is that contact's copy, so it is linked and updated instead of created again.
 */
@injectable()
export class SureDuplicateInGroupware implements ItemStage {
  private readonly built = new WeakMap<StageContext, Promise<UnlinkedGroupware>>();

  async run(batch: DraftItem[], context: StageContext): Promise<void> {
    const sureRules = context.rules.filter((rule) => rule.verdict === 'sure');
    const unmatched = batch.filter((draft) => draft.crm && !draft.item.groupwareId);
    if (!context.groupware || unmatched.length === 0 || sureRules.length === 0) return;
    let unlinked = this.built.get(context);
    if (!unlinked) {
      unlinked = this.indexUnlinked(context, sureRules);
      this.built.set(context, unlinked);
    }
    const { index, contacts, claimed } = await unlinked;
    const verdicts = await classifyContacts(
      unmatched.map((draft) => draft.crm!),
      sureRules,
      index,
    );
    unmatched.forEach((draft, at) => {
      const verdict = verdicts[at]!;
      const ids = new Set(verdict.findings.filter((f) => f.verdict === 'sure').map((f) => f.crmId));
      // Two groupware contacts fit: which one is the copy is a person's call, so neither is taken.
      if (ids.size !== 1) return;
      const [groupwareId] = ids as Set<string>;
      if (claimed.has(groupwareId!)) return;
      claimed.add(groupwareId!);
      draft.groupware = contacts.get(groupwareId!);
      Object.assign(draft.item, {
        groupwareId,
        action: 'update',
        reason: 'sure-duplicate',
        duplicate: verdict,
      });
    });
  }

  private async indexUnlinked(
    context: StageContext,
    rules: StageContext['rules'],
  ): Promise<UnlinkedGroupware> {
    const index = new MemoryCandidateIndex();
    const contacts = (await groupwareListingOf(context)).unlinked;
    // The index speaks of CRM ids; here it holds groupware contacts, each under its groupware id.
    await index.upsert(
      [...contacts].map(([id, contact]) =>
        indexEntry({ ...contact, ids: { ...contact.ids, crmId: id } }, rules),
      ),
    );
    return { index, contacts, claimed: new Set() };
  }
}

/** Export assign: the export option is chosen for the whole plan (E6), so items get nothing here. */
@injectable()
export class ExportOptionAssign implements ItemStage {
  async run(): Promise<void> {}
}
