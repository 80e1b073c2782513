import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { type SessionOptions, withRuntime } from '../session.js';

/** `crmsync undo <run>`: each write of a committed run put back, unless someone changed the record since. */
export async function runUndo(planId: string, options: SessionOptions, out: Output): Promise<number> {
  return withRuntime(options, async (runtime) => {
    const report = await runtime.services.sync.undo(planId);
    out.line(`Undid run ${planId}: ${report.restored} change${report.restored === 1 ? '' : 's'} put back.`);
    for (const changed of report.changedSince)
      out.line(`  kept (changed since in the ${changed.side}): record ${changed.recordId}`);
    for (const { problem } of report.failed) out.line(`  failed: ${problem.message}`);
    out.result(report);
    if (report.failed.length > 0 || report.changedSince.length > 0) return ExitCode.partial;
    return report.restored === 0 ? ExitCode.nothingToDo : ExitCode.success;
  });
}
