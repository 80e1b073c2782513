import { resolve } from 'node:path';
import type { CrmContactQuery, PlanHeader, PlanItem, RecordProblem } from '../../../core/index.js';
import { CrmsyncError } from '../../../core/index.js';
import { parseExchangeTarget } from '../exchange-target.js';
import { ExitCode } from '../exit-codes.js';
import { describeProblem, type Output } from '../output.js';
import { contactName, headline, planItemLine, planItems, withBuildProgress } from '../plan-lines.js';
import { type AccountOption, accountChoice, type SessionOptions, withRuntime } from '../session.js';
import {
  checkVcardFileChoice,
  exportOptionIdOf,
  exportSettingsOf,
  fileSink,
  type VcardFormat,
} from '../vcard-file-export.js';

export interface ExportOptions extends SessionOptions, AccountOption {
  query: string[];
  to: string;
  format?: VcardFormat;
  oneFilePerContact?: boolean;
  dryRun?: boolean;
}

/** A contact the commit did not write: by its item into the groupware, by its place into a file. */
type NotExported = Pick<RecordProblem, 'code' | 'message'> &
  Partial<Pick<RecordProblem, 'location'>> & { seq?: number };

const queryFields = ['name', 'partnerId', 'city', 'email', 'phone', 'groupwareSync'] as const;

/** `--query name=Müller --query city=Köln`: the CRM search criteria (E2), each at most once. */
export function parseQuery(criteria: readonly string[]): CrmContactQuery {
  const query: Record<string, string | boolean> = {};
  for (const criterion of criteria) {
    const at = criterion.indexOf('=');
    const field = at > 0 ? criterion.slice(0, at) : '';
    const value = criterion.slice(at + 1);
    if (!(queryFields as readonly string[]).includes(field))
      throw new CrmsyncError(
        'CRMSYNC_ERR_REQUEST_INVALID',
        `--query takes <field>=<value> with field one of ${queryFields.join(', ')}, not "${criterion}"`,
        { field: '--query' },
      );
    if (field in query)
      throw new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', `--query names ${field} twice`, {
        field: '--query',
      });
    if (field === 'groupwareSync') {
      if (value !== 'true' && value !== 'false')
        throw new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', 'groupwareSync takes true or false', {
          field: '--query',
        });
      query[field] = value === 'true';
    } else query[field] = value;
  }
  return query as CrmContactQuery;
}

/** E2–E6 from a terminal: plan the export, show it, and unless it is a dry run write it. */
export async function runExport(options: ExportOptions, out: Output): Promise<number> {
  const query = parseQuery(options.query);
  const target = parseExchangeTarget(options.to, '--to');
  const fileChoice =
    target.kind === 'vcard'
      ? {
          path: target.path,
          oneFilePerContact: options.oneFilePerContact ?? false,
          ...(options.format ? { format: options.format } : {}),
        }
      : undefined;
  if (fileChoice) checkVcardFileChoice(fileChoice);
  else if (options.format || options.oneFilePerContact)
    throw new CrmsyncError(
      'CRMSYNC_ERR_REQUEST_INVALID',
      '--format and --one-file-per-contact apply to --to vcard:<path>',
      {
        field: '--to',
      },
    );

  return withRuntime(options, async (runtime) => {
    const { plans } = runtime.services;
    const plan = await withBuildProgress(out, (building) =>
      plans.createExportPlan(
        query,
        {
          ...(fileChoice
            ? { exportOption: exportOptionIdOf(fileChoice), exportSettings: exportSettingsOf(fileChoice) }
            : {}),
          ...accountChoice(options),
        },
        building,
      ),
    );
    // On the command line the criteria are the choice: every contact found that can be exported is.
    await plans.select(plan.id, 'all', true);
    const counts = await plans.counts(plan.id);
    const items: PlanItem[] = [];
    out.line(
      `Export plan ${plan.id}: ${plan.summary.found ?? 0} found, ${counts['selected:true'] ?? 0} to export`,
    );
    for (const line of headline(counts)) out.line(line);
    for await (const item of planItems(plans, plan.id)) {
      out.line(planItemLine(item));
      if (out.json) items.push(item);
    }
    const problems = (plan.summary.problems as RecordProblem[] | undefined) ?? [];
    for (const problem of problems) out.line(`  ! ${describeProblem(problem)}`);
    const selected = counts['selected:true'] ?? 0;

    if (options.dryRun || selected === 0) {
      const cancelled = await plans.cancel(plan.id);
      out.line(options.dryRun ? 'Dry run: nothing was written.' : 'Nothing to export.');
      out.result({ plan: cancelled, counts, items: items.map(exportItemJson) });
      if (selected === 0) return ExitCode.nothingToDo;
      return problems.length > 0 ? ExitCode.partial : ExitCode.success;
    }

    const file = fileChoice && !fileChoice.oneFilePerContact ? fileSink(resolve(fileChoice.path)) : undefined;
    let committed: PlanHeader;
    try {
      committed = await plans.commit(plan.id, {
        onProgress: ({ done, total }) => out.progress('exporting', done, total),
        ...(file ? { sink: file.sink } : {}),
      });
    } finally {
      await file?.close();
    }
    const after = await plans.counts(plan.id);
    const failed = (committed.summary.notExported as NotExported[] | undefined) ?? [];
    const done = (committed.summary.exported as number | undefined) ?? after['outcome:done'] ?? 0;
    out.line(`Exported ${done} of ${selected}${fileChoice ? ` to ${resolve(fileChoice.path)}` : ''}.`);
    for (const problem of failed)
      out.line(
        `  not exported${problem.seq !== undefined ? ` (item ${problem.seq})` : ''}: ${describeProblem({ location: {}, ...problem })}`,
      );
    out.result({ plan: committed, counts: after, items: items.map(exportItemJson) });
    return failed.length > 0 || problems.length > 0 ? ExitCode.partial : ExitCode.success;
  });
}

function exportItemJson(item: PlanItem) {
  return {
    seq: item.seq,
    name: contactName(item.crm),
    crmId: item.crmId ?? null,
    groupwareId: item.groupwareId ?? null,
    selected: item.selected,
    action: item.action,
    reason: item.reason,
  };
}
