import type { Contact } from '../../domain/contact.js';
import type { ExportOption, ExportReport, ExportSettings, ExportSink } from '../../ports/export-option.js';
import type { FieldSupport } from '../../ports/field-support.js';
import type { StateScope } from '../../store/state-store.js';
import type { CommitProgress } from '../commit/commit-step.js';
import type { PlanHeader } from '../plan.js';
import { exportedContact } from './export-commit.js';
import { plannedContact } from './planned-contact.js';

/**
 * Export commit to a file (E6: a vCard download): the selected contacts, stamped with their
 * CRM id and carrying their photos, stream through the export option into the sink one by
 * one, so a large download never sits whole in memory. The items written are marked done.
 */
export async function exportPlanToFile(
  plan: PlanHeader,
  option: ExportOption,
  sink: ExportSink,
  context: { state: StateScope; crmHolds: FieldSupport; onProgress?: (progress: CommitProgress) => void },
): Promise<ExportReport> {
  const { state, crmHolds, onProgress } = context;
  const total = (await state.plans.page(plan.id, { filter: { selected: true }, limit: 1 })).total;
  const seqs: number[] = [];
  async function* contacts(): AsyncIterable<Contact> {
    onProgress?.({ done: 0, total });
    for await (const item of state.plans.items(plan.id, { selected: true })) {
      if (!item.crm) continue;
      yield exportedContact(await plannedContact(item.crm, state.blobs, item.crmId), crmHolds);
      seqs.push(item.seq);
      onProgress?.({ done: seqs.length, total });
    }
  }
  const settings = plan.options.exportSettings as ExportSettings | undefined;
  const report = await option.export(contacts(), sink, settings);
  if (seqs.length > 0) await state.plans.updateItems(plan.id, seqs, { outcome: { state: 'done' } });
  return report;
}
