import { inject, injectable } from 'inversify';
import { Kernel } from '../kernel/kernel.js';
import { CommitExecutor } from '../pipeline/commit/commit-executor.js';
import type { ConflictPolicy } from '../pipeline/merge/conflict-policy.js';
import type { PlanHeader } from '../pipeline/plan.js';
import { SyncEngine, type SyncRunResult } from '../pipeline/sync/sync-engine.js';
import type { SyncTargets } from '../pipeline/sync/sync-targets.js';
import { PlanUndo, type UndoReport } from '../pipeline/undo/undo-plan.js';
import { StateStore } from '../store/state-store.js';
import { GroupwareAccounts } from './groupware-accounts.js';
import { ownership } from './plan-service.js';
import { ServiceSettings } from './service-settings.js';

export interface SyncRequest {
  /** Who wins a field both sides changed; the CRM unless given. */
  policy?: ConflictPolicy;
  /** Share of one side's linked contacts a run may delete without confirmation; 0.1 unless given. */
  maxDeletionShare?: number;
  /** Plan only: the plan shows what a sync would do and is never committed. */
  dryRun?: boolean;
  /** The user the run belongs to; absent for a run of the command line or a host without users. */
  ownerId?: string;
  /** The groupware account to sync (its id, `<connector>:<accountKey>`); the default one unless given. */
  account?: string;
  /** Asks the run's commit to stop between writes (its worker shuts down); it is resumed later. */
  signal?: AbortSignal;
}

/** How a commit of a sync plan may be asked to stop between writes. */
export interface SyncCommitOptions {
  signal?: AbortSignal;
}

/**
 * Ongoing sync of the CRM with a groupware account (S1, S2), for the host and the CLI: run or
 * dry-run a sync, confirm or reject one the deletion guard stopped, undo one. A plan is
 * committed, confirmed or undone with the account it was made for.
 */
export interface SyncService {
  sync(request?: SyncRequest): Promise<SyncRunResult>;
  /** Commits a dry run's plan, when nothing synced the account since it was made. */
  commit(planId: string, options?: SyncCommitOptions): Promise<SyncRunResult>;
  confirm(planId: string, options?: SyncCommitOptions): Promise<SyncRunResult>;
  reject(planId: string): Promise<PlanHeader>;
  undo(planId: string): Promise<UndoReport>;
  /**
   * The CRM and the groupware account a sync works on (the one named, the default one unless
   * named), without the vCard fallback export and import use. Whatever writes to the account
   * outside a run (the per-contact toggle) works on the same.
   */
  targets(account?: string): Promise<SyncTargets>;
}
export const SyncService = Symbol.for('crmsync.SyncService');

@injectable()
export class SyncServiceImpl implements SyncService {
  private readonly engine: SyncEngine;
  private readonly undoer: PlanUndo;

  constructor(
    @inject(Kernel) private readonly kernel: Kernel,
    @inject(ServiceSettings) private readonly settings: ServiceSettings,
    @inject(GroupwareAccounts) private readonly accounts: GroupwareAccounts,
    @inject(StateStore) private readonly state: StateStore,
    @inject(CommitExecutor) executor: CommitExecutor,
  ) {
    this.engine = new SyncEngine(state, executor);
    this.undoer = new PlanUndo(state);
  }

  async sync(request: SyncRequest = {}): Promise<SyncRunResult> {
    const targets = await this.targets(request.account);
    const settings: Parameters<SyncEngine['run']>[1] = {};
    if (request.policy) settings.policy = request.policy;
    if (request.maxDeletionShare !== undefined) settings.maxDeletionShare = request.maxDeletionShare;
    const owner = ownership(request);
    if (!request.dryRun) return this.engine.run(targets, settings, owner, request.signal);
    const plan = await this.engine.plan(targets, settings, owner);
    return { plan, written: { crm: 0, groupware: 0 } };
  }

  async commit(planId: string, options: SyncCommitOptions = {}): Promise<SyncRunResult> {
    return this.engine.commit(planId, await this.targetsOfPlan(planId), options.signal);
  }

  async confirm(planId: string, options: SyncCommitOptions = {}): Promise<SyncRunResult> {
    return this.engine.confirm(planId, await this.targetsOfPlan(planId), options.signal);
  }

  reject(planId: string): Promise<PlanHeader> {
    return this.engine.reject(planId);
  }

  async undo(planId: string): Promise<UndoReport> {
    return this.undoer.undo(planId, await this.targetsOfPlan(planId));
  }

  /**
   * The CRM and the account named (the default one unless named), without the vCard fallback
   * export and import use: a sync of an account that cannot be reached fails, it never syncs
   * another account in its place.
   */
  async targets(accountId?: string): Promise<SyncTargets> {
    const crm = await this.kernel.get('crmConnectors', this.settings.connectors.crm);
    const account = await this.accounts.resolve(accountId);
    return { accountId: account.id, crm, groupware: account.store };
  }

  /** The account a plan was made for; an unknown plan is left for the engine to report. */
  private async targetsOfPlan(planId: string): Promise<SyncTargets> {
    return this.targets((await this.state.plans.get(planId))?.accountId);
  }
}
