import { useEffect, useState } from 'preact/hooks';
import {
  commitSyncRun,
  confirmSyncRun,
  rejectSyncRun,
  syncConflicts,
  syncRun,
  syncRunItems,
  undoSyncRun,
  whySynced,
} from '../../api/endpoints';
import { failureOf, followJob } from '../../api/follow-job';
import type { PlanItem, PlanView } from '../../api/types';
import { useT } from '../../i18n/language';
import { href } from '../../router';
import { Dialog } from '../../ui/dialog';
import { ErrorNote, InfoNote } from '../../ui/error-note';
import { nameOf } from '../../ui/names';
import { PageHeading } from '../../ui/page-heading';
import { Pager } from '../../ui/pager';
import { Progress } from '../../ui/progress';
import { useTask } from '../../ui/use-task';
import { formatValue } from './format-value';
import { GuardReasons } from './guard-question';
import { commitsStartedHere } from './sync-runs';

const pageSize = 25;

/**
 * One sync run: what it read and wrote, the guard's question when it stopped, its conflicts
 * with both values side by side, each contact's reason, and undo once it is committed.
 */
export function SyncRunView({ planId }: { planId: string }) {
  const t = useT();
  const [view, setView] = useState<PlanView | undefined>();
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [askingUndo, setAskingUndo] = useState(false);
  const [version, setVersion] = useState(0);
  const load = useTask();
  const act = useTask();

  const reload = () =>
    load.run(async () => {
      const current = await syncRun(planId);
      setView(current);
      setVersion((v) => v + 1);
      return current;
    });

  /** A commit at work (started here or by the runs page) is followed to its end. */
  const follow = async (jobId: string) => {
    const ended = await followJob(jobId, (job) => setProgress(job.progress));
    setProgress(undefined);
    await reload();
    if (ended.state !== 'done') throw failureOf(ended);
    const written = (ended.result?.written ?? {}) as { crm?: number; groupware?: number };
    setMessage(t.sync.finished(written.crm ?? 0, written.groupware ?? 0));
  };

  useEffect(() => {
    const startedHere = commitsStartedHere.delete(planId);
    void reload().then((current) => {
      if (startedHere || current?.plan.status === 'committing') void act.run(() => follow(planId));
    });
  }, [planId]);

  const start = (work: () => Promise<{ id: string }>) =>
    act.run(async () => {
      setMessage(undefined);
      const job = await work();
      setView((current) => current && { ...current, plan: { ...current.plan, status: 'committing' } });
      await follow(job.id);
    });

  if (!view)
    return (
      <>
        <PageHeading>{t.sync.title}</PageHeading>
        <ErrorNote error={load.error} />
        {load.busy && <p class="loading">{t.app.loading}</p>}
      </>
    );

  const { plan, counts } = view;
  const summary = plan.summary as {
    read?: { crm: number; groupware: number };
    written?: { crm: number; groupware: number };
  };
  const running = plan.status === 'committing' || act.busy;

  return (
    <>
      <p class="breadcrumb">
        <a href={href.sync}>{t.sync.backToRuns}</a>
      </p>
      <PageHeading>{t.sync.runTitle(t.common.date(plan.createdAt))}</PageHeading>
      <section class="card">
        <p>
          <span class={`status status-${plan.status}`}>{t.sync.statuses[plan.status] ?? plan.status}</span>
        </p>
        {summary.read && <p>{t.sync.read(summary.read.crm, summary.read.groupware)}</p>}
        {summary.written && <p>{t.sync.written(summary.written.crm, summary.written.groupware)}</p>}
        {running && <Progress label={t.sync.progressLabel} done={progress?.done} total={progress?.total} />}
        {message && <InfoNote kind="success">{message}</InfoNote>}
        <ErrorNote error={act.error} />
        <ErrorNote error={load.error} />
        {plan.status === 'awaiting-confirmation' && (
          <section class="guard" aria-labelledby="guard-heading">
            <h2 id="guard-heading">{t.sync.guardHeading}</h2>
            <GuardReasons plan={plan} />
            <p>
              <strong>{t.sync.guardQuestion}</strong>
            </p>
            <div class="actions">
              <button
                type="button"
                class="button-danger"
                disabled={act.busy}
                onClick={() => start(() => confirmSyncRun(planId))}
              >
                {t.sync.confirm}
              </button>
              <button
                type="button"
                class="button-primary"
                disabled={act.busy}
                onClick={() =>
                  act.run(async () => {
                    setView(await rejectSyncRun(planId));
                    setMessage(t.sync.rejected);
                  })
                }
              >
                {t.sync.reject}
              </button>
            </div>
          </section>
        )}
        <div class="actions">
          {plan.status === 'draft' && (
            <button
              type="button"
              class="button-primary"
              disabled={act.busy}
              onClick={() => start(() => commitSyncRun(planId))}
            >
              {t.sync.commitDryRun}
            </button>
          )}
          {plan.status === 'committed' && (
            <button type="button" disabled={act.busy} onClick={() => setAskingUndo(true)}>
              {t.sync.undo}
            </button>
          )}
        </div>
      </section>
      <Conflicts planId={planId} total={counts['reason:conflict'] ?? 0} version={version} />
      <Items planId={planId} counts={counts} version={version} />
      {askingUndo && (
        <Dialog title={t.sync.undoTitle} onClose={() => setAskingUndo(false)} role="alertdialog">
          <p>{t.sync.undoText}</p>
          <div class="actions">
            <button
              type="button"
              class="button-danger"
              onClick={() =>
                act.run(async () => {
                  setAskingUndo(false);
                  const undone = await undoSyncRun(planId);
                  setMessage(
                    t.sync.undone(undone.restored, undone.changedSince.length, undone.failed.length),
                  );
                  await reload();
                })
              }
            >
              {t.sync.undo}
            </button>
            <button type="button" onClick={() => setAskingUndo(false)} autofocus>
              {t.common.cancel}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

function Conflicts({ planId, total, version }: { planId: string; total: number; version: number }) {
  const t = useT();
  const [offset, setOffset] = useState(0);
  const [items, setItems] = useState<PlanItem[]>([]);
  const task = useTask();
  useEffect(() => {
    if (total > 0) void task.run(async () => setItems((await syncConflicts(planId, offset, pageSize)).items));
  }, [planId, offset, total, version]);
  return (
    <section class="card" aria-labelledby="conflicts-heading">
      <h2 id="conflicts-heading">
        {t.sync.conflictsHeading} <span class="count">({t.common.count(total)})</span>
      </h2>
      <p class="hint">{t.sync.conflictsHint}</p>
      <ErrorNote error={task.error} />
      {total === 0 ? (
        <p class="muted">{t.sync.noConflicts}</p>
      ) : (
        <>
          <div class="table-scroll">
            <table class="table table-conflicts">
              <caption class="visually-hidden">{t.sync.conflictsHeading}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.contact.name}</th>
                  <th scope="col">{t.sync.field}</th>
                  <th scope="col">{t.sync.baseline}</th>
                  <th scope="col">{t.sync.crmValue}</th>
                  <th scope="col">{t.sync.groupwareValue}</th>
                  <th scope="col">{t.sync.kept}</th>
                </tr>
              </thead>
              <tbody>
                {items.flatMap((item) =>
                  (item.changes?.conflicts ?? []).map((conflict) => (
                    <tr key={`${item.seq}:${conflict.field}`}>
                      <td>{nameOf(item.crm ?? item.groupware, item.crmId ?? '')}</td>
                      <td>{t.fields[conflict.field] ?? conflict.field}</td>
                      <td>{formatValue(conflict.baseline, t.common.none)}</td>
                      <td class={conflict.resolvedTo === 'crm' ? 'value-kept' : undefined}>
                        {formatValue(conflict.crm, t.common.none)}
                      </td>
                      <td class={conflict.resolvedTo === 'groupware' ? 'value-kept' : undefined}>
                        {formatValue(conflict.groupware, t.common.none)}
                      </td>
                      <td>{t.sides[conflict.resolvedTo] ?? conflict.resolvedTo}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
          <Pager
            label={t.sync.conflictsHeading}
            offset={offset}
            limit={pageSize}
            total={total}
            onChange={setOffset}
          />
        </>
      )}
    </section>
  );
}

function Items({
  planId,
  counts,
  version,
}: {
  planId: string;
  counts: Record<string, number>;
  version: number;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: PlanItem[]; total: number } | undefined>();
  const [crmId, setCrmId] = useState('');
  const [why, setWhy] = useState<{ crmId: string; item?: PlanItem } | undefined>();
  const task = useTask();
  const ask = useTask();
  useEffect(() => {
    void task.run(async () =>
      setPage(await syncRunItems(planId, offset, pageSize, reason ? { reason } : {})),
    );
  }, [planId, offset, reason, version]);
  const reasons = Object.keys(counts)
    .filter((key) => key.startsWith('reason:'))
    .map((key) => key.slice('reason:'.length));
  const describe = (item: PlanItem) =>
    t.sync.whyAnswer(
      t.actions[item.action] ?? item.action,
      t.reasons[item.reason] ?? item.reason,
      t.outcomes[item.outcome?.state ?? 'none'] ?? '',
    );
  return (
    <section class="card" aria-labelledby="items-heading">
      <h2 id="items-heading">{t.sync.itemsHeading}</h2>
      <form
        class="form-row"
        onSubmit={(event) => {
          event.preventDefault();
          const wanted = crmId.trim();
          if (wanted)
            void ask.run(async () => setWhy({ crmId: wanted, item: await whySynced(planId, wanted) }));
        }}
      >
        <label>
          {t.sync.whyLabel}
          <input name="crmId" value={crmId} onInput={(event) => setCrmId(event.currentTarget.value)} />
        </label>
        <button type="submit">{t.sync.why}</button>
      </form>
      <ErrorNote error={ask.error} />
      {why && (
        <p role="status" class="why-answer">
          <strong>{why.item ? nameOf(why.item.crm ?? why.item.groupware, why.crmId) : why.crmId}:</strong>{' '}
          {why.item ? describe(why.item) : t.sync.notTouched(why.crmId)}
          {why.item?.outcome?.problem && <span class="muted"> ({why.item.outcome.problem.message})</span>}
        </p>
      )}
      <div class="form-row">
        <label>
          {t.sync.reasonFilter}
          <select
            value={reason}
            onChange={(event) => {
              setOffset(0);
              setReason(event.currentTarget.value);
            }}
          >
            <option value="">{t.sync.allReasons}</option>
            {reasons.map((key) => (
              <option key={key} value={key}>
                {t.reasons[key] ?? key} ({t.common.count(counts[`reason:${key}`] ?? 0)})
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={task.error} />
      {page && (
        <>
          <div class="table-scroll" aria-busy={task.busy}>
            <table class="table">
              <caption class="visually-hidden">{t.sync.itemsHeading}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.contact.name}</th>
                  <th scope="col">{t.contact.crmId}</th>
                  <th scope="col">{t.sync.action}</th>
                  <th scope="col">{t.sync.reason}</th>
                  <th scope="col">{t.sync.outcome}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((item) => (
                  <tr key={item.seq}>
                    <td>{nameOf(item.crm ?? item.groupware, item.groupwareId ?? '')}</td>
                    <td>
                      {item.crmId ? <a href={href.contact(item.crmId)}>{item.crmId}</a> : t.common.none}
                    </td>
                    <td>{t.actions[item.action] ?? item.action}</td>
                    <td>{t.reasons[item.reason] ?? item.reason}</td>
                    <td>
                      {t.outcomes[item.outcome?.state ?? 'none']}
                      {item.outcome?.problem && <span class="cell-sub">{item.outcome.problem.message}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label={t.sync.itemsHeading}
            offset={offset}
            limit={pageSize}
            total={page.total}
            onChange={setOffset}
          />
        </>
      )}
    </section>
  );
}
