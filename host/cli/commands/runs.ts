import { CrmsyncError, type PlanHeader } from '../../../core/index.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { type AccountOption, type SessionOptions, withRuntime } from '../session.js';

export interface RunsOptions extends SessionOptions, AccountOption {
  limit: string;
  kind?: PlanHeader['kind'];
}

/** `crmsync runs`: the latest exports, imports and syncs, newest first, each with the id `undo` takes. */
export async function runRuns(options: RunsOptions, out: Output): Promise<number> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new CrmsyncError(
      'CRMSYNC_ERR_REQUEST_INVALID',
      `--limit takes a whole number, not "${options.limit}"`,
      {
        field: '--limit',
      },
    );
  return withRuntime(options, async (runtime) => {
    const runs = await runtime.stateStore.plans.list({
      ...(options.kind ? { kind: options.kind } : {}),
      ...(options.account ? { accountId: options.account } : {}),
      limit,
    });
    for (const run of runs)
      out.line(
        `${run.id}  ${new Date(run.createdAt).toISOString()}  ${run.kind.padEnd(6)}  ${run.status.padEnd(21)}  ${run.accountId}  ${runFigures(run)}`,
      );
    if (runs.length === 0) out.line('No runs yet.');
    out.result({ runs });
    return runs.length === 0 ? ExitCode.nothingToDo : ExitCode.success;
  });
}

function runFigures(run: PlanHeader): string {
  const summary = run.summary;
  const figures = ['found', 'importable', 'selected', 'exported', 'imported']
    .filter((key) => typeof summary[key] === 'number')
    .map((key) => `${key} ${summary[key]}`);
  return figures.join(', ');
}
