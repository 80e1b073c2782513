import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  CrmsyncError,
  type PlanHeader,
  type PlanItem,
  type PlanService,
  type RecordProblem,
} from '../../../core/index.js';
import type { Runtime } from '../../runtime.js';
import { parseExchangeTarget } from '../exchange-target.js';
import { ExitCode } from '../exit-codes.js';
import { withoutCrmIds } from '../foreign-crm-ids.js';
import { type IncomingCard, readIncomingCards } from '../incoming-cards.js';
import { type Output, problemJson } from '../output.js';
import { contactName, planItems, withBuildProgress } from '../plan-lines.js';
import { type AccountOption, accountChoice, type SessionOptions, withRuntime } from '../session.js';

export interface ImportOptions extends SessionOptions, AccountOption {
  from: string;
  partner: string;
  includePossible?: boolean;
  fromOtherCrm?: boolean;
  dryRun?: boolean;
}

type Source = { file: string; card: number } | { groupwareId: string | null };

/** One incoming contact as `--json` shows it (the shape `import --dry-run --json` promises). */
interface ImportEntry {
  source: Source;
  seq: number | null;
  name: string | null;
  verdict: 'sure' | 'possible' | 'none' | null;
  findings: { crmId: string; rule: string; reason: string; verdict: string }[];
  partner: { id: string; name: string; reason: string } | null;
  action: PlanItem['action'] | null;
  reason: PlanItem['reason'] | null;
  selected: boolean;
  problems: Record<string, unknown>[];
}

/**
 * I2–I8 from a terminal: each incoming contact's duplicate verdict with its findings and its
 * business partner with the reason; what may be imported is imported, and the count printed.
 */
export async function runImport(options: ImportOptions, out: Output): Promise<number> {
  const source = parseExchangeTarget(options.from, '--from');
  const path = source.kind === 'vcard' ? resolve(source.path) : undefined;
  if (path) {
    await access(path, constants.R_OK).catch(() => {
      throw new CrmsyncError('CRMSYNC_ERR_UPLOAD_INVALID', 'the file to import cannot be read', {
        file: path,
      });
    });
  }
  return withRuntime(options, async (runtime) => {
    const { plans, files } = runtime.services;
    const fileName = path ? basename(path) : '';
    const read = (file: string) =>
      options.fromOtherCrm ? withoutCrmIds(createReadStream(file)) : createReadStream(file);
    const cards = path ? await readIncomingCards(files, read(path), fileName) : undefined;
    if (options.partner !== 'auto') await checkPartner(runtime, options.partner);
    const plan = await withBuildProgress(out, (building) =>
      plans.createImportPlan(path ? { source: read(path), fileName } : undefined, {
        ...building,
        ...accountChoice(options),
      }),
    );
    if (options.partner !== 'auto') await assignToAll(plans, plan.id, options.partner);
    await tickImportable(plans, plan.id, options.includePossible ?? false);

    const entries = await entriesOf(plans, plan, fileName, cards);
    const selected = entries.filter((entry) => entry.selected).length;
    const unreadable = entries.filter((entry) => entry.seq === null && entry.problems.length > 0).length;
    out.line(
      `Import plan ${plan.id}: ${entries.filter((entry) => entry.seq !== null).length} contacts without CRM id, ${selected} to import`,
    );
    for (const entry of entries) printEntry(out, entry);
    if (
      !options.fromOtherCrm &&
      entries.some((entry) => entry.reason === 'already-linked' && entry.seq === null)
    )
      out.line(
        'Cards with a CRM id are linked already; if the file comes from another CRM, import it with --from-other-crm.',
      );

    if (options.dryRun || selected === 0) {
      const cancelled = await plans.cancel(plan.id);
      out.line(options.dryRun ? 'Dry run: nothing was written.' : 'Nothing to import.');
      out.result({ plan: cancelled, imported: 0, entries });
      if (selected === 0) return unreadable > 0 ? ExitCode.partial : ExitCode.nothingToDo;
      return unreadable > 0 ? ExitCode.partial : ExitCode.success;
    }

    const committed = await plans.commit(plan.id, {
      onProgress: ({ done, total }) => out.progress('importing', done, total),
    });
    const imported = (committed.summary.imported as number | undefined) ?? 0;
    const notImported =
      (committed.summary.notImported as { seq: number; code: string; message: string }[]) ?? [];
    out.line(`Imported ${imported} of ${selected} contacts.`);
    for (const failure of notImported) out.line(`  not imported (item ${failure.seq}): ${failure.message}`);
    if (unreadable > 0) out.line(`${unreadable} card${unreadable === 1 ? '' : 's'} could not be read.`);
    out.result({ plan: committed, imported, notImported, entries });
    return notImported.length > 0 || unreadable > 0 ? ExitCode.partial : ExitCode.success;
  });
}

/** An unknown partner is refused before anything is read, so no half-made plan is left behind. */
async function checkPartner(runtime: Runtime, partnerId: string): Promise<void> {
  const crm = await runtime.kernel.get('crmConnectors', runtime.config.connectors.crm);
  if (!(await crm.getPartner(partnerId)))
    throw new CrmsyncError('CRMSYNC_ERR_NOT_FOUND', `the CRM has no business partner ${partnerId}`, {
      field: '--partner',
    });
}

/** `--partner <id>`: the user's choice for every contact that can be imported, as I5 lets them choose. */
async function assignToAll(plans: PlanService, planId: string, partnerId: string): Promise<void> {
  const open: number[] = [];
  for await (const item of planItems(plans, planId)) if (item.action !== 'skip') open.push(item.seq);
  for (const seq of open) await plans.assignPartner(planId, seq, partnerId);
}

/**
 * Ticks every contact that may be imported (I8): one with a partner that is no duplicate, and
 * with `--include-possible` a possible duplicate too. A sure duplicate never is (I7).
 */
async function tickImportable(plans: PlanService, planId: string, includePossible: boolean): Promise<void> {
  const tick: number[] = [];
  for await (const item of planItems(plans, planId)) {
    if (item.selected || item.action === 'skip' || !item.partner) continue;
    const verdict = item.duplicate?.verdict ?? 'none';
    if (verdict === 'none' || (verdict === 'possible' && includePossible)) tick.push(item.seq);
  }
  if (tick.length > 0) await plans.select(planId, tick, true);
}

async function entriesOf(
  plans: PlanService,
  plan: PlanHeader,
  fileName: string,
  cards: IncomingCard[] | undefined,
): Promise<ImportEntry[]> {
  const entries: ImportEntry[] = [];
  // The plan's items follow the file's readable cards without CRM id, in order.
  const itemCards = cards?.filter((card) => !card.problem && !card.carriesCrmId) ?? [];
  let at = 0;
  for await (const item of planItems(plans, plan.id)) {
    const card = itemCards[at++]?.card;
    entries.push(
      entryOf(
        item,
        card !== undefined ? { file: fileName, card } : { groupwareId: item.groupwareId ?? null },
      ),
    );
  }
  for (const card of cards ?? []) {
    if (card.problem) entries.push(unreadEntry({ file: fileName, card: card.card }, [card.problem]));
    else if (card.carriesCrmId)
      entries.push({ ...unreadEntry({ file: fileName, card: card.card }, []), reason: 'already-linked' });
  }
  if (!cards) {
    // From the groupware, a contact that could not be read is known only by its problem.
    for (const problem of (plan.summary.problems as RecordProblem[] | undefined) ?? [])
      entries.push(unreadEntry({ groupwareId: problem.location.recordId ?? null }, [problem]));
  }
  return entries.sort((a, b) => cardOf(a) - cardOf(b));
}

function cardOf(entry: ImportEntry): number {
  return 'card' in entry.source ? entry.source.card : (entry.seq ?? Number.MAX_SAFE_INTEGER);
}

function entryOf(item: PlanItem, source: Source): ImportEntry {
  return {
    source,
    seq: item.seq,
    name: contactName(item.groupware),
    verdict: item.duplicate?.verdict ?? 'none',
    findings: (item.duplicate?.findings ?? []).map((finding) => ({
      crmId: finding.crmId,
      rule: finding.ruleId,
      reason: finding.reason,
      verdict: finding.verdict,
    })),
    partner: item.partner
      ? { id: item.partner.partner.id, name: item.partner.partner.name, reason: item.partner.reason }
      : null,
    action: item.action,
    reason: item.reason,
    selected: item.selected,
    problems: item.outcome?.problem ? [problemJson(item.outcome.problem)] : [],
  };
}

function unreadEntry(source: Source, problems: RecordProblem[]): ImportEntry {
  return {
    source,
    seq: null,
    name: null,
    verdict: null,
    findings: [],
    partner: null,
    action: null,
    reason: null,
    selected: false,
    problems: problems.map(problemJson),
  };
}

function printEntry(out: Output, entry: ImportEntry): void {
  const where =
    'card' in entry.source ? `card ${entry.source.card}` : `groupware ${entry.source.groupwareId ?? '?'}`;
  if (entry.reason === 'already-linked' && entry.seq === null) {
    out.line(`  ${where}: carries a CRM id, so it is linked already — not imported`);
    return;
  }
  if (entry.seq === null) {
    for (const problem of entry.problems)
      out.line(
        `  ${where}: cannot be read: ${problem.message}${problem.line !== undefined ? ` (line ${problem.line})` : ''}`,
      );
    return;
  }
  out.line(`  ${where}: ${entry.name} — ${entry.selected ? 'import' : `not imported (${entry.reason})`}`);
  out.line(`    duplicate: ${entry.verdict}`);
  for (const finding of entry.findings)
    out.line(`      ${finding.verdict} by ${finding.rule}: crm ${finding.crmId}, ${finding.reason}`);
  out.line(
    entry.partner
      ? `    partner: ${entry.partner.name} (${entry.partner.id}) — ${entry.partner.reason}`
      : '    partner: none',
  );
}
