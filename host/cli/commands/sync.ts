import { setTimeout as sleep } from 'node:timers/promises';
import type { SyncRunResult } from '../../../core/index.js';
import { CrmsyncError } from '../../../core/index.js';
import type { Runtime } from '../../runtime.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { headline, planItemLine, planItems } from '../plan-lines.js';
import { type AccountOption, accountChoice, type SessionOptions, withRuntime } from '../session.js';

export interface SyncOptions extends SessionOptions, AccountOption {
  once?: boolean;
  watch?: boolean;
  interval: string;
  dryRun?: boolean;
}

/** `crmsync sync`: one run (the default), or a run every interval until stopped with `--watch`. */
export async function runSync(options: SyncOptions, out: Output): Promise<number> {
  if (options.once && options.watch)
    throw new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', 'give --once or --watch, not both', {
      field: '--watch',
    });
  const intervalSeconds = Number(options.interval);
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1)
    throw new CrmsyncError(
      'CRMSYNC_ERR_REQUEST_INVALID',
      `--interval takes whole seconds, not "${options.interval}"`,
      {
        field: '--interval',
      },
    );
  return withRuntime(options, async (runtime) => {
    if (!options.watch) return syncOnce(runtime, options, out);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let code: number = ExitCode.success;
    try {
      while (!stop.signal.aborted) {
        // A failed run is reported and the next one tries again: a watch outlives a CRM restart.
        code = await syncOnce(runtime, options, out).catch((error: Error) => {
          out.warn(`sync failed: ${error.message}`);
          return ExitCode.failure;
        });
        await sleep(intervalSeconds * 1000, undefined, { signal: stop.signal }).catch(() => undefined);
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return code === ExitCode.nothingToDo ? ExitCode.success : code;
  });
}

async function syncOnce(runtime: Runtime, options: SyncOptions, out: Output): Promise<number> {
  const result = await runtime.services.sync.sync({
    dryRun: options.dryRun ?? false,
    ...accountChoice(options),
  });
  return report(runtime, result, options, out);
}

async function report(
  runtime: Runtime,
  result: SyncRunResult,
  options: SyncOptions,
  out: Output,
): Promise<number> {
  const { plans } = runtime.services;
  const { plan, commit, written } = result;
  const counts = await plans.counts(plan.id);
  const changing = (counts.total ?? 0) - (counts['action:skip'] ?? 0);
  out.line(`Sync plan ${plan.id} (${plan.status}): ${changing} change${changing === 1 ? '' : 's'}`);
  for (const line of headline(counts)) out.line(line);
  for await (const item of planItems(plans, plan.id))
    if (item.action !== 'skip') out.line(planItemLine(item));
  if (plan.status === 'awaiting-confirmation')
    out.line(
      'Stopped: the run would delete more contacts than allowed; confirm or reject it through the API.',
    );
  else if (options.dryRun) out.line('Dry run: nothing was written.');
  else out.line(`Written: ${written.crm} in the CRM, ${written.groupware} in the groupware.`);
  for (const { seq, problem } of commit?.problems ?? [])
    out.line(`  failed (item ${seq}): ${problem.message}`);
  out.result({ plan, counts, written, commit: commit ?? null });
  if (plan.status === 'awaiting-confirmation') return ExitCode.partial;
  if ((commit?.failed ?? 0) > 0 || (commit?.refused ?? 0) > 0) return ExitCode.partial;
  return changing === 0 ? ExitCode.nothingToDo : ExitCode.success;
}
