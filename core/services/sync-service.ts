import { inject, injectable } from 'inversify';
import { CrmsyncError } from '../domain/errors.js';
import { Kernel } from '../kernel/kernel.js';
import { CommitExecutor } from '../pipeline/commit/commit-executor.js';
import type { ConflictPolicy } from '../pipeline/merge/conflict-policy.js';
import type { PlanHeader } from '../pipeline/plan.js';
import { SyncEngine, type SyncRunResult } from '../pipeline/sync/sync-engine.js';
import { accountIdOf, type SyncTargets } from '../pipeline/sync/sync-targets.js';
import { PlanUndo, type UndoReport } from '../pipeline/undo/undo-plan.js';
import { StateStore } from '../store/state-store.js';
import { ServiceSettings } from './service-settings.js';

export interface SyncRequest {
  /** Who wins a field both sides changed; the CRM unless given. */
  policy?: ConflictPolicy;
  /** Share of one side's linked contacts a run may delete without confirmation; 0.1 unless given. */
  maxDeletionShare?: number;
  /** Plan only: the plan shows what a sync would do and is never committed. */
  dryRun?: boolean;
}

/**
 * Ongoing sync of the CRM with the configured groupware account (S1, S2), for the host and
 * the CLI: run or dry-run a sync, confirm or reject one the deletion guard stopped, undo one.
 */
export interface SyncService {
  sync(request?: SyncRequest): Promise<SyncRunResult>;
  /** Commits a dry run's plan, when nothing synced the account since it was made. */
  commit(planId: string): Promise<SyncRunResult>;
  confirm(planId: string): Promise<SyncRunResult>;
  reject(planId: string): Promise<PlanHeader>;
  undo(planId: string): Promise<UndoReport>;
}
export const SyncService = Symbol.for('crmsync.SyncService');

@injectable()
export class SyncServiceImpl implements SyncService {
  private readonly engine: SyncEngine;
  private readonly undoer: PlanUndo;

  constructor(
    @inject(Kernel) private readonly kernel: Kernel,
    @inject(ServiceSettings) private readonly settings: ServiceSettings,
    @inject(StateStore) state: StateStore,
    @inject(CommitExecutor) executor: CommitExecutor,
  ) {
    this.engine = new SyncEngine(state, executor);
    this.undoer = new PlanUndo(state);
  }

  async sync(request: SyncRequest = {}): Promise<SyncRunResult> {
    const targets = await this.targets();
    const settings: Parameters<SyncEngine['run']>[1] = {};
    if (request.policy) settings.policy = request.policy;
    if (request.maxDeletionShare !== undefined) settings.maxDeletionShare = request.maxDeletionShare;
    if (!request.dryRun) return this.engine.run(targets, settings);
    const plan = await this.engine.plan(targets, settings);
    return { plan, written: { crm: 0, groupware: 0 } };
  }

  async commit(planId: string): Promise<SyncRunResult> {
    return this.engine.commit(planId, await this.targets());
  }

  async confirm(planId: string): Promise<SyncRunResult> {
    return this.engine.confirm(planId, await this.targets());
  }

  reject(planId: string): Promise<PlanHeader> {
    return this.engine.reject(planId);
  }

  async undo(planId: string): Promise<UndoReport> {
    return this.undoer.undo(planId, await this.targets());
  }

  /**
   * The configured connectors, without the vCard fallback export and import use: a sync of an
   * account that cannot be reached fails, it never syncs another account in its place.
   */
  private async targets(): Promise<SyncTargets> {
    const { connectors } = this.settings;
    const crm = await this.kernel.get('crmConnectors', connectors.crm);
    const groupware = await this.kernel.get('groupwareConnectors', connectors.groupware).catch((error) => {
      throw new CrmsyncError(
        'CRMSYNC_ERR_GROUPWARE_UNAVAILABLE',
        `groupware connector "${connectors.groupware}" is not available: ${(error as Error).message}`,
      );
    });
    return { accountId: accountIdOf(connectors.groupware, groupware), crm, groupware };
  }
}
