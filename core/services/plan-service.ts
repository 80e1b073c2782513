import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { Contact } from '../domain/contact.js';
import { CrmsyncError } from '../domain/errors.js';
import type { Fetched, RecordProblem } from '../domain/problem.js';
import { Kernel } from '../kernel/kernel.js';
import { CommitExecutor } from '../pipeline/commit/commit-executor.js';
import type { CommitProgress, CommitReport } from '../pipeline/commit/commit-step.js';
import { exportPlanToFile } from '../pipeline/flows/file-export.js';
import { ExportFlow, ImportFlow } from '../pipeline/pipeline-module.js';
import type { PlanHeader, PlanItem, PlanPage, PlanPageQuery } from '../pipeline/plan.js';
import { buildPlan } from '../pipeline/plan-builder.js';
import type { FlowStages, ImportStageContext, RuleInUse, StageContext } from '../pipeline/stages.js';
import type { CrmConnector, CrmContactQuery } from '../ports/crm-connector.js';
import { discardingSink, type ExportSettings, type ExportSink } from '../ports/export-option.js';
import { StateStore } from '../store/state-store.js';
import { FileExchangeService } from './file-exchange-service.js';
import { type GroupwareAccount, GroupwareAccounts } from './groupware-accounts.js';
import { ServiceSettings } from './service-settings.js';
import { unavailableGroupware } from './unavailable-groupware.js';

/** Who a new plan belongs to: a user's plans are theirs (and the administrators') to see. */
export interface PlanOwner {
  ownerId?: string;
}

/** An uploaded file to import from, instead of the groupware in use. */
export interface ImportFile {
  source: AsyncIterable<Uint8Array>;
  fileName: string;
  importerId?: string;
}

/** Which groupware account a plan works with: its id (`<connector>:<accountKey>`); the default one unless given. */
export interface AccountChoice {
  account?: string;
}

/** The export option of an export plan, and a local user's settings for it (version, folder). */
export interface ExportChoice extends PlanOwner, AccountChoice {
  exportOption?: string;
  exportSettings?: ExportSettings;
}

/** How far a plan being built has come: contacts read from their source, and those classified and stored. */
export interface PlanBuildProgress {
  read: number;
  classified: number;
}

export interface BuildOptions {
  onProgress?: (progress: PlanBuildProgress) => void;
}

export interface CommitOptions {
  /** Where a file-producing export option streams its file (a download). */
  sink?: ExportSink;
  onProgress?: (progress: CommitProgress) => void;
  /** Asks the commit to stop between writes; it can be resumed later. */
  signal?: AbortSignal;
}

/**
 * The export and import wizards as the API drives them: a plan is made, read page by page,
 * edited, and committed or cancelled. Everything lives in the state store, so a wizard can
 * pause between steps and a restart loses nothing; a plan never committed is a dry run.
 *
 * A plan is made in two steps, so that a caller can answer with its id before the work is
 * done: `open…` checks the request and stores the plan `building`, `build` reads its
 * contacts through the stages into it and leaves it a `draft`. `create…` does both at once.
 */
export interface PlanService {
  /** Export (E2–E4): the CRM contacts matching the criteria; those exported before pre-selected. */
  createExportPlan(
    query: CrmContactQuery,
    choice?: ExportChoice,
    options?: BuildOptions,
  ): Promise<PlanHeader>;
  /** Import (I2–I6): the groupware's contacts without CRM id, or an uploaded file's, with verdicts and partners. */
  createImportPlan(
    file?: ImportFile,
    options?: BuildOptions & PlanOwner & AccountChoice,
  ): Promise<PlanHeader>;
  openExportPlan(query: CrmContactQuery, choice?: ExportChoice): Promise<PlanHeader>;
  /** From a file: its name says which importer reads it, which is checked now; its bytes come to `build`. */
  openImportPlan(file?: Omit<ImportFile, 'source'>, choice?: PlanOwner & AccountChoice): Promise<PlanHeader>;
  /** Fills a plan `building`; an import from a file needs the file's bytes as `source`. */
  build(planId: string, options?: BuildOptions & { source?: AsyncIterable<Uint8Array> }): Promise<PlanHeader>;
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
  /**
   * Cancels a draft, or a plan awaiting confirmation; with `abandonedBuild`, also a plan left
   * `building` by a process that stopped (the caller knows that none builds it any more).
   */
  cancel(planId: string, options?: { abandonedBuild?: boolean }): Promise<PlanHeader>;
}
export const PlanService = Symbol.for('crmsync.PlanService');

/** The owner as a plan header holds it: absent rather than undefined. */
export const ownership = ({ ownerId }: PlanOwner): PlanOwner => (ownerId === undefined ? {} : { ownerId });
/** What building a plan found, for its headline. */
interface BuiltPlan {
  total: number;
  /** Counts the stages kept beside the items (contacts passed over because they carry a CRM id). */
  counts: Record<string, number>;
  problems: RecordProblem[];
}

/** Problems kept in a plan's summary; the rest are counted. */
const shownProblems = 100;

@injectable()
export class PlanServiceImpl implements PlanService {
  constructor(
    @inject(Kernel) private readonly kernel: Kernel,
    @inject(ServiceSettings) private readonly settings: ServiceSettings,
    @inject(GroupwareAccounts) private readonly accounts: GroupwareAccounts,
    @inject(StateStore) private readonly state: StateStore,
    @inject(CommitExecutor) private readonly executor: CommitExecutor,
    @inject(FileExchangeService) private readonly files: FileExchangeService,
    @inject(ExportFlow) private readonly exportFlow: FlowStages,
    @inject(ImportFlow) private readonly importFlow: FlowStages<ImportStageContext>,
  ) {}

  async createExportPlan(
    query: CrmContactQuery,
    choice: ExportChoice = {},
    options: BuildOptions = {},
  ): Promise<PlanHeader> {
    const plan = await this.openExportPlan(query, choice);
    return this.build(plan.id, options);
  }

  async createImportPlan(
    file?: ImportFile,
    options: BuildOptions & PlanOwner & AccountChoice = {},
  ): Promise<PlanHeader> {
    const choice = { ...ownership(options), ...(options.account ? { account: options.account } : {}) };
    const plan = await this.openImportPlan(file, choice);
    return this.build(plan.id, { ...options, ...(file ? { source: file.source } : {}) });
  }

  async openExportPlan(query: CrmContactQuery, choice: ExportChoice = {}): Promise<PlanHeader> {
    await this.crm();
    const groupware = await this.groupware(choice.exportOption === undefined, choice.account);
    const exportOption = choice.exportOption ?? groupware?.connectorId;
    if (exportOption !== undefined) this.checkExportOption(exportOption, groupware?.connectorId);
    return this.state.plans.create({
      id: randomUUID(),
      kind: 'export',
      accountId: groupware?.id ?? `export:${exportOption}`,
      status: 'building',
      options: {
        query,
        exportOption,
        ...(choice.exportSettings ? { exportSettings: choice.exportSettings } : {}),
        ...(groupware ? { groupwareConnector: groupware.connectorId } : {}),
      },
      summary: {},
      ...ownership(choice),
    });
  }

  async openImportPlan(
    file?: Omit<ImportFile, 'source'>,
    choice: PlanOwner & AccountChoice = {},
  ): Promise<PlanHeader> {
    await this.crm();
    const groupware = await this.groupware(!file, choice.account);
    if (file) this.files.importerFor(file.fileName, file.importerId);
    return this.state.plans.create({
      id: randomUUID(),
      kind: 'import',
      accountId: groupware?.id ?? `file:${file?.fileName}`,
      status: 'building',
      options: file
        ? {
            source: 'file',
            fileName: file.fileName,
            ...(file.importerId !== undefined ? { importerId: file.importerId } : {}),
            ...(groupware ? { groupwareConnector: groupware.connectorId } : {}),
          }
        : { source: 'groupware', groupwareConnector: groupware!.connectorId },
      summary: {},
      ...ownership(choice),
    });
  }

  async build(
    planId: string,
    options: BuildOptions & { source?: AsyncIterable<Uint8Array> } = {},
  ): Promise<PlanHeader> {
    const plan = await this.get(planId);
    if (plan.status !== 'building' || plan.kind === 'sync')
      throw new CrmsyncError('CRMSYNC_ERR_PLAN_STATE', `plan ${planId} is ${plan.status}, not being built`, {
        recordId: planId,
      });
    try {
      const built =
        plan.kind === 'export'
          ? await this.fill(this.exportFlow, await this.stageContext(plan), options.onProgress)
          : await this.fill(
              this.importFlow,
              await this.importContext(plan, options.source),
              options.onProgress,
            );
      return this.state.plans.update(planId, {
        status: 'draft',
        summary: { ...(await this.headline(plan, built)), ...problemsOf(built.problems) },
      });
    } catch (error) {
      await this.state.plans.update(planId, {
        status: 'failed',
        summary: { error: (error as Error).message },
      });
      throw error;
    }
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
    // The account the plan was made for, even when another is the default by now.
    const groupware = groupwareId
      ? (await this.accounts.resolve(plan.accountId)).store
      : unavailableGroupware(plan.accountId);
    const flow = plan.kind === 'export' ? this.exportFlow : this.importFlow;
    const report = await this.executor.commit(
      planId,
      flow.commit.flowFor({ crm, groupware, accountId: plan.accountId, state: this.state }),
      { accountId: plan.accountId, crm, groupware },
      options,
    );
    return this.state.plans.update(planId, { summary: resultOf(plan, report) });
  }

  async cancel(planId: string, options: { abandonedBuild?: boolean } = {}): Promise<PlanHeader> {
    const plan = await this.get(planId);
    const abandoned = options.abandonedBuild === true && plan.status === 'building';
    if (plan.status !== 'draft' && plan.status !== 'awaiting-confirmation' && !abandoned)
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

  /** Runs the stages over the plan's source: how many items it stored, what it counted and met on the way. */
  private async fill<C extends StageContext>(
    flow: FlowStages<C>,
    context: C,
    onProgress: BuildOptions['onProgress'],
  ): Promise<BuiltPlan> {
    const total = await buildPlan(flow, context, onProgress);
    return { total, counts: context.counts, problems: context.problems };
  }

  private async stageContext(plan: PlanHeader): Promise<StageContext> {
    const groupwareId = plan.options.groupwareConnector as string | undefined;
    return {
      plan,
      crm: await this.crm(),
      state: this.state,
      rules: await this.rules(),
      problems: [],
      counts: {},
      // The account the plan was made for, even when another is the default by now.
      ...(groupwareId ? { groupware: (await this.accounts.resolve(plan.accountId)).store } : {}),
    };
  }

  private async importContext(
    plan: PlanHeader,
    source: AsyncIterable<Uint8Array> | undefined,
  ): Promise<ImportStageContext> {
    let incoming: AsyncIterable<Fetched<Contact>> | undefined;
    if (plan.options.source === 'file') {
      const fileName = plan.options.fileName as string;
      if (!source)
        throw new CrmsyncError('CRMSYNC_ERR_UPLOAD_INVALID', 'the file to import did not arrive', {
          file: fileName,
        });
      const importerId = plan.options.importerId as string | undefined;
      incoming = (await this.files.previewImport(source, fileName, importerId)).items;
    }
    return {
      ...(await this.stageContext(plan)),
      resolvers: (await this.kernel.getAll('partnerResolvers')).map(({ id, value }) => ({
        id,
        resolver: value,
      })),
      ...(incoming ? { incoming } : {}),
    };
  }

  /** The wizard's headline of a plan just built, from its counts. */
  private async headline(
    plan: PlanHeader,
    { total, counts: built }: BuiltPlan,
  ): Promise<Record<string, unknown>> {
    const counts = await this.state.plans.counts(plan.id);
    if (plan.kind === 'export')
      return {
        found: total,
        selected: counts['selected:true'] ?? 0,
        exportedBefore: counts['reason:exported-before'] ?? 0,
        sureDuplicatesInGroupware: counts['reason:sure-duplicate'] ?? 0,
      };
    return {
      importable: total,
      selected: counts['selected:true'] ?? 0,
      carryCrmId: built.carryCrmId ?? 0,
      sure: counts['verdict:sure'] ?? 0,
      possible: counts['verdict:possible'] ?? 0,
      none: counts['verdict:none'] ?? 0,
      noPartner: counts['reason:no-partner'] ?? 0,
      // I3: an empty import is news, not a failure.
      ...(total === 0 ? { info: 'There are no contacts without a CRM id to import.' } : {}),
    };
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
        // Each contact the file could not hold, said as a commit into the groupware says it.
        notExported: report.problems
          .slice(0, shownProblems)
          .map(({ code, message, location }) => ({ code, message, location })),
        ...(report.file ? { file: report.file } : {}),
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

  /**
   * The groupware account in use (the one named, else the default); when it is not needed (a
   * file), its absence is no error, but an account named that does not exist always is.
   */
  private async groupware(required: boolean, account?: string): Promise<GroupwareAccount | undefined> {
    try {
      return await this.accounts.inUse(account);
    } catch (error) {
      if (required || (error as CrmsyncError).code === 'CRMSYNC_ERR_ACCOUNT_UNKNOWN') throw error;
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
