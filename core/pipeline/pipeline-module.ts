import { ContainerModule } from 'inversify';
import { CommitExecutor, JournalledCommitExecutor } from './commit/commit-executor.js';
import { ExportCommit } from './flows/export-commit.js';
import {
  CrmSearchSelect,
  ExportedBeforeMatch,
  ExportOptionAssign,
  SureDuplicateInGroupware,
} from './flows/export-stages.js';
import { ImportCommit } from './flows/import-commit.js';
import {
  ContactsWithoutCrmIdSelect,
  CrmDuplicateDedupe,
  LinkedGroupwareMatch,
  ResolverPartnerAssign,
} from './flows/import-stages.js';
import {
  ExportAssignStage,
  ExportCommitFlow,
  ExportDedupeStage,
  ExportMatchStage,
  ExportSelectStage,
  type FlowStages,
  ImportAssignStage,
  ImportCommitFlow,
  ImportDedupeStage,
  ImportMatchStage,
  ImportSelectStage,
  type ImportStageContext,
} from './stages.js';

/** The export flow's stages composed (E1–E7). */
export const ExportFlow = Symbol.for('crmsync.ExportFlow');
/** The import flow's stages composed (I1–I10). */
export const ImportFlow = Symbol.for('crmsync.ImportFlow');

/**
 * The default stages and the commit executor. Each stage is bound under its own identifier,
 * so one can be replaced (`rebind`) without touching the others; the flows are composed from
 * whatever is bound when they are first asked for.
 */
export function pipelineModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(CommitExecutor).to(JournalledCommitExecutor).inSingletonScope();
    bind(ExportSelectStage).to(CrmSearchSelect).inSingletonScope();
    bind(ExportMatchStage).to(ExportedBeforeMatch).inSingletonScope();
    bind(ExportDedupeStage).to(SureDuplicateInGroupware).inSingletonScope();
    bind(ExportAssignStage).to(ExportOptionAssign).inSingletonScope();
    bind(ExportCommitFlow).to(ExportCommit).inSingletonScope();
    bind(ImportSelectStage).to(ContactsWithoutCrmIdSelect).inSingletonScope();
    bind(ImportMatchStage).to(LinkedGroupwareMatch).inSingletonScope();
    bind(ImportDedupeStage).to(CrmDuplicateDedupe).inSingletonScope();
    bind(ImportAssignStage).to(ResolverPartnerAssign).inSingletonScope();
    bind(ImportCommitFlow).to(ImportCommit).inSingletonScope();
    bind(ExportFlow)
      .toDynamicValue(
        (ctx): FlowStages => ({
          select: ctx.get(ExportSelectStage),
          match: ctx.get(ExportMatchStage),
          dedupe: ctx.get(ExportDedupeStage),
          assign: ctx.get(ExportAssignStage),
          commit: ctx.get(ExportCommitFlow),
        }),
      )
      .inSingletonScope();
    bind(ImportFlow)
      .toDynamicValue(
        (ctx): FlowStages<ImportStageContext> => ({
          select: ctx.get(ImportSelectStage),
          match: ctx.get(ImportMatchStage),
          dedupe: ctx.get(ImportDedupeStage),
          assign: ctx.get(ImportAssignStage),
          commit: ctx.get(ImportCommitFlow),
        }),
      )
      .inSingletonScope();
  });
}
