import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { CrmsyncError } from '../domain/errors.js';
import type { RecordProblem } from '../domain/problem.js';
import { selectGroupwareConnector } from '../kernel/connector-selection.js';
import { Kernel } from '../kernel/kernel.js';
import { CommitExecutor } from '../pipeline/commit/commit-executor.js';
import type { CommitProgress, CommitReport } from '../pipeline/commit/commit-step.js';
import { exportPlanToFile } from '../pipeline/flows/file-export.js';
import { ExportFlow, ImportFlow } from '../pipeline/pipeline-module.js';
import type { PlanHeader, PlanItem, PlanPage, PlanPageQuery } from '../pipeline/plan.js';
import { buildPlan } from '../pipeline/plan-builder.js';
import type { FlowStages, ImportStageContext, RuleInUse, StageContext } from '../pipeline/stages.js';
import { accountIdOf } from '../pipeline/sync/sync-targets.js';
import type { CrmConnector, CrmContactQuery } from '../ports/crm-connector.js';
import type { ExportSink } from '../ports/export-option.js';
import type { GroupwareConnector } from '../ports/groupware-connector.js';
import { StateStore } from '../store/state-store.js';
import { FileExchangeService } from './file-exchange-service.js';
import { ServiceSettings } from './service-settings.js';
import { unavailableGroupware } from './unavailable-groupware.js';

/** An uploaded file to import from, instead of the groupware in use. */
export interface ImportFile {
  source: AsyncIterable<Uint8Array>;
  fileName: string;
  importerId?: string;
}

export interface CommitOptions {
  /** Where a file-producing export option streams its file (a download). */
  sink?: ExportSink;
  onProgress?: (progress: CommitProgress) => void;
}

/**
 * The export and import wizards as the API drives them: a plan is made, read page by page,
 * edited, and committed or cancelled. Everything lives in the state store, so a wizard can
 * pause between steps and a restart loses nothing; a plan never committed is a dry run.
 */
export interface PlanService {
  /** Export (E2–E4): the CRM contacts matching the criteria; those exported before pre-selected. */
  createExportPlan(query: CrmContactQuery, choice?: { exportOption?: string }): Promise<PlanHeader>;
  /** Import (I2–I6): the groupware's contacts without CRM id, or an uploaded file's, with verdicts and partners. */
  createImportPlan(file?: ImportFile): Promise<PlanHeader>;
  get(planId: string): Promise<PlanHeader>;
  page(planId: string, query?: PlanPageQuery): Promise<PlanPage>;
  /** Counts by list, action, reason, verdict and outcome, for the wizard's headline as it is now. */
  counts(planId: string): Promise<Record<string, number>>;
  /** Moves items between available and selected (E3), or ticks them (I8): some by position, or all. */
  select(planId: string, which: readonly number[] | 'all', selected: boolean): Promise<PlanHeader>;
  /** The export option (E6): the groupware connector in use or an `exportOptions` contribution. */
  chooseExportOption(planId: string, optionId: string): Promise<PlanHeader>;
  /** The user's choice of business partner for one contact (I5), overriding any suggestion. */
  assignPartner(planId: string, seq: number, partnerId: string): Promise<PlanItem>;
  /** Writes the plan; a commit that was interrupted is resumed by committing again. */
  commit(planId: string, options?: CommitOptions): Promise<PlanHeader>;
  /** Nothing is written; the plan is kept, cancelled (E6). */
  cancel(planId: string): Promise<PlanHeader>;
}
export const PlanService = Symbol.for('crmsync.PlanService');

/** Problems kept in a plan's summary; the rest are counted. */
const shownProblems = 100;

@injectable()
export class PlanServiceImpl implements PlanService {
  constructor(
    @inject(Kernel) private readonly kernel: Kernel,
    @inject(ServiceSettings) private readonly settings: ServiceSettings,
    @inject(StateStore) private readonly state: StateStore,
    @inject(CommitExecutor) private readonly executor: CommitExecutor,
    @inject(FileExchangeService) private readonly files: FileExchangeService,
    @inject(ExportFlow) private readonly exportFlow: FlowStages,
    @inject(ImportFlow) private readonly importFlow: FlowStages<ImportStageContext>,
  ) {}

  async createExportPlan(
    query: CrmContactQuery,
    choice: { exportOption?: string } = {},
  ): Promise<PlanHeader> {
    const crm = await this.crm();
    const groupware = await this.groupware(choice.exportOption === undefined);
    const exportOption = choice.exportOption ?? groupware?.id;
    if (exportOption !== undefined) this.checkExportOption(exportOption, groupware?.id);
    const plan = await this.state.plans.create({
      id: randomUUID(),
      kind: 'export',
      accountId: planAccountId(groupware, `export:${exportOption}`),
      status: 'draft',
      options: { query, exportOption, ...(groupware ? { groupwareConnector: groupware.id } : {}) },
      summary: {},
    });
    const context: StageContext = {
      plan,
      crm,
      state: this.state,
      rules: await this.rules(),
      problems: [],
      counts: {},
      ...(groupware ? { groupware: groupware.connector } : {}),
    };
    return this.build(this.exportFlow, context, (total, counts) => ({
      found: total,
      selected: counts['selected:true'] ?? 0,
      exportedBefore: counts['reason:exported-before'] ?? 0,
      sureDuplicatesInGroupware: counts['reason:sure-duplicate'] ?? 0,
    }));
  }

  async createImportPlan(file?: ImportFile): Promise<PlanHeader> {
    const crm = await this.crm();
    const groupware = await this.groupware(!file);
    const incoming = file
      ? (await this.files.previewImport(file.source, file.fileName, file.importerId)).items
      : undefined;
    const plan = await this.state.plans.create({
      id: randomUUID(),
      kind: 'import',
      accountId: planAccountId(groupware, `file:${file?.fileName}`),
      status: 'draft',
      options: file
        ? {
            source: 'file',
            fileName: file.fileName,
            ...(groupware ? { groupwareConnector: groupware.id } : {}),
          }
        : { source: 'groupware', groupwareConnector: groupware!.id },
      summary: {},
    });
    const context: ImportStageContext = {
      plan,
      crm,
      state: this.state,
      rules: await this.rules(),
      resolvers: (await this.kernel.getAll('partnerResolvers')).map(({ id, value }) => ({
        id,
        resolver: value,
      })),
      problems: [],
      counts: {},
      ...(groupware ? { groupware: groupware.connector } : {}),
      ...(incoming ? { incoming } : {}),
    };
    return this.build(this.importFlow, context, (total, counts, contextCounts) => ({
      importable: total,
      selected: counts['selected:true'] ?? 0,
      carryCrmId: contextCounts.carryCrmId ?? 0,
      sure: counts['verdict:sure'] ?? 0,
      possible: counts['verdict:possible'] ?? 0,
      none: counts['verdict:none'] ?? 0,
      noPartner: counts['reason:no-partner'] ?? 0,
      // I3: an empty import is news, not a failure.
      ...(total === 0 ? { info: 'There are no contacts without a CRM id to import.' } : {}),
    }));
  }

  async get(planId: string): Promise<PlanHeader> {
    const plan = await this.state.plans.get(planId);
    if (!plan)
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `there is no plan ${planId}`, { recordId: planId });
    return plan;
  }

  async page(planId: string, query: PlanPageQuery = {}): Promise<PlanPage> {
    await this.get(planId);
    return this.state.plans.page(planId, query);
  }

  async counts(planId: string): Promise<Record<string, number>> {
    await this.get(planId);
    return this.state.plans.counts(planId);
  }

  async select(planId: string, which: readonly number[] | 'all', selected: boolean): Promise<PlanHeader> {
    const plan = await this.draft(planId);
    const items: PlanItem[] = [];
    if (which === 'all') {
      for await (const item of this.state.plans.items(planId))
        if (item.action !== 'skip' || !selected) items.push(item);
    } else {
      for (const seq of which) {
        const item = await this.state.plans.getItem(planId, seq);
        if (!item)
          throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `plan ${planId} has no item ${seq}`, {
            recordId: planId,
          });
        if (selected) refuseTick(plan, item);
        items.push(item);
      }
    }
    // The reason follows the list an item is in, unless it says more than that (exported before, no partner).
    const plain: PlanItem[] = [];
    const other: PlanItem[] = [];
    for (const item of items)
      (item.reason === 'selected' || item.reason === 'not-selected' ? plain : other).push(item);
    if (plain.length > 0)
      await this.state.plans.updateItems(
        planId,
        plain.map((item) => item.seq),
        { selected, reason: selected ? 'selected' : 'not-selected' },
      );
    if (other.length > 0)
      await this.state.plans.updateItems(
        planId,
        other.map((item) => item.seq),
        { selected },
      );
    return this.get(planId);
  }

  async chooseExportOption(planId: string, optionId: string): Promise<PlanHeader> {
    const plan = await this.draft(planId);
    if (plan.kind !== 'export')
      throw new CrmsyncError(
        'CRMSYNC_ERR_PLAN_STATE',
        `plan ${planId} is an ${plan.kind} plan, not an export`,
        {
          recordId: planId,
        },
      );
    this.checkExportOption(optionId, plan.options.groupwareConnector as string | undefined);
    return this.state.plans.update(planId, { options: { exportOption: optionId } });
  }

  async assignPartner(planId: string, seq: number, partnerId: string): Promise<PlanItem> {
    const plan = await this.draft(planId);
    const item = await this.state.plans.getItem(planId, seq);
    if (!item)
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `plan ${planId} has no item ${seq}`, {
        recordId: planId,
      });
    if (plan.kind !== 'import')
      throw new CrmsyncError('CRMSYNC_ERR_PLAN_STATE', 'partners are assigned to contacts being imported', {
        recordId: planId,
      });
    const partner = await (await this.crm()).getPartner(partnerId);
    if (!partner)
      throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `the CRM has no business partner ${partnerId}`, {
        recordId: partnerId,
      });
    await this.state.plans.updateItems(planId, [seq], {
      partner: { partner: { id: partner.id, name: partner.name }, by: 'user', reason: 'chosen by the user' },
      ...(item.reason === 'no-partner' ? { reason: item.selected ? 'selected' : 'not-selected' } : {}),
    });
    return (await this.state.plans.getItem(planId, seq))!;
  }

  async commit(planId: string, options: CommitOptions = {}): Promise<PlanHeader> {
    const plan = await this.get(planId);
    const groupwareId = plan.options.groupwareConnector as string | undefined;
    const option = plan.options.exportOption as string | undefined;
    if (plan.kind === 'export' && option !== undefined && option !== groupwareId)
      return this.exportToFile(plan, option, options);
    if (plan.kind === 'sync')
      throw new CrmsyncError('CRMSYNC_ERR_PLAN_STATE', 'a sync plan is committed by the sync service', {
        recordId: planId,
      });
    const crm = await this.crm();
    const groupware = groupwareId
      ? await this.kernel.get('groupwareConnectors', groupwareId)
      : unavailableGroupware(plan.accountId);
    const flow = plan.kind === 'export' ? this.exportFlow : this.importFlow;
    const report = await this.executor.commit(
      planId,
      flow.commit.flowFor({ crm, groupware, accountId: plan.accountId, state: this.state }),
      { accountId: plan.accountId, crm, groupware },
      options.onProgress,
    );
    return this.state.plans.update(planId, { summary: resultOf(plan, report) });
  }

  async cancel(planId: string): Promise<PlanHeader> {
    const plan = await this.get(planId);
    if (plan.status !== 'draft' && plan.status !== 'awaiting-confirmation')
      throw new CrmsyncError(
        'CRMSYNC_ERR_PLAN_STATE',
        `plan ${planId} is ${plan.status} and can no longer be cancelled`,
        {
          recordId: planId,
        },
      );
    return this.state.plans.update(planId, { status: 'cancelled' });
  }

  // ---- helpers ----------------------------------------------------------------------------

  private async build<C extends StageContext>(
    flow: FlowStages<C>,
    context: C,
    headline: (
      total: number,
      counts: Record<string, number>,
      contextCounts: Record<string, number>,
    ) => object,
  ): Promise<PlanHeader> {
    let total: number;
    try {
      total = await buildPlan(flow, context);
    } catch (error) {
      await this.state.plans.update(context.plan.id, {
        status: 'failed',
        summary: { error: (error as Error).message },
      });
      throw error;
    }
    const counts = await this.state.plans.counts(context.plan.id);
    return this.state.plans.update(context.plan.id, {
      summary: { ...headline(total, counts, context.counts), ...problemsOf(context.problems) },
    });
  }

  /** A file-producing export option: the selected contacts stream to the sink, stamped with their CRM id. */
  private async exportToFile(
    plan: PlanHeader,
    optionId: string,
    options: CommitOptions,
  ): Promise<PlanHeader> {
    // A download that broke off left the plan committing; it is simply written again.
    if (plan.status !== 'draft' && plan.status !== 'committing')
      throw new CrmsyncError(
        'CRMSYNC_ERR_PLAN_STATE',
        `plan ${plan.id} is ${plan.status}; only a draft is exported`,
        {
          recordId: plan.id,
        },
      );
    const option = await this.files.exportOption(optionId);
    if (option.producesFile && !options.sink)
      throw new CrmsyncError(
        'CRMSYNC_ERR_EXPORT_INVALID',
        `the export option ${optionId} writes a file and needs a place to send it`,
        { recordId: plan.id },
      );
    const crm = await this.crm();
    await this.state.plans.update(plan.id, { status: 'committing' });
    const report = await exportPlanToFile(plan, option, options.sink ?? discardingSink, {
      state: this.state,
      crmHolds: crm.fieldSupport,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return this.state.plans.update(plan.id, {
      status: 'committed',
      summary: {
        committed: { done: report.written, failed: report.problems.length, refused: 0 },
        exported: report.written,
        ...(report.file ? { file: report.file } : {}),
        ...problemsOf(report.problems),
      },
    });
  }

  private async draft(planId: string): Promise<PlanHeader> {
    const plan = await this.get(planId);
    if (plan.status !== 'draft')
      throw new CrmsyncError(
        'CRMSYNC_ERR_PLAN_STATE',
        `plan ${planId} is ${plan.status}; only a draft can be edited`,
        {
          recordId: planId,
        },
      );
    return plan;
  }

  private crm(): Promise<CrmConnector> {
    return this.kernel.get('crmConnectors', this.settings.connectors.crm);
  }

  /** The groupware in use; when it is not needed (a file), its absence is no error. */
  private async groupware(
    required: boolean,
  ): Promise<{ id: string; connector: GroupwareConnector } | undefined> {
    try {
      const selected = await selectGroupwareConnector(this.kernel, this.settings.connectors);
      return { id: selected.id, connector: selected.connector };
    } catch (error) {
      if (required) throw error;
      return undefined;
    }
  }

  /** The dedupe rules contributed, each with the strongest verdict its manifest declares. */
  private async rules(): Promise<RuleInUse[]> {
    const verdicts = new Map(
      this.kernel.registry.list('dedupeRules').map(({ descriptor }) => [descriptor.id, descriptor.verdict]),
    );
    return (await this.kernel.getAll('dedupeRules')).map(({ id, value }) => ({
      id,
      rule: value,
      verdict: verdicts.get(id) === 'sure' ? 'sure' : 'possible',
    }));
  }

  private checkExportOption(optionId: string, groupwareId: string | undefined): void {
    if (optionId === groupwareId) return;
    if (this.kernel.registry.list('exportOptions').some(({ descriptor }) => descriptor.id === optionId))
      return;
    throw new CrmsyncError(
      'CRMSYNC_ERR_CONTRIBUTION_UNKNOWN',
      `"${optionId}" is neither the groupware in use nor an export option`,
      { field: 'exportOption' },
    );
  }
}

/** The groupware's account, or a name of its own for a plan that only touches a file. */
function planAccountId(
  groupware: { id: string; connector: GroupwareConnector } | undefined,
  instead: string,
): string {
  return groupware ? accountIdOf(groupware.id, groupware.connector) : instead;
}

/** I7: a sure duplicate cannot be ticked for import, nor can an item that has nothing to write. */
function refuseTick(plan: PlanHeader, item: PlanItem): void {
  if (plan.kind !== 'import') return;
  if (item.duplicate?.verdict === 'sure')
    throw new CrmsyncError(
      'CRMSYNC_ERR_SURE_DUPLICATE',
      `item ${item.seq} is a sure duplicate of a CRM contact and cannot be imported`,
      { recordId: item.groupwareId ?? `plan item ${item.seq}` },
    );
}

function problemsOf(problems: RecordProblem[]): Record<string, unknown> {
  if (problems.length === 0) return {};
  return { problems: problems.slice(0, shownProblems), problemCount: problems.length };
}

/** I8: how many were written, and why each other one was not. */
function resultOf(plan: PlanHeader, report: CommitReport): Record<string, unknown> {
  const notWritten = report.problems.map(({ seq, problem }) => ({
    seq,
    code: problem.code,
    message: problem.message,
  }));
  return plan.kind === 'import'
    ? { imported: report.done, notImported: notWritten }
    : { exported: report.done, notExported: notWritten };
}

const discardingSink: ExportSink = {
  start() {},
  async write() {},
};
