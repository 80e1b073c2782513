import { useEffect, useState } from 'preact/hooks';
import { startSyncRun, syncRuns } from '../../api/endpoints';
import type { PlanHeader } from '../../api/types';
import { useT } from '../../i18n/language';
import { href, navigate } from '../../router';
import { ErrorNote, InfoNote } from '../../ui/error-note';
import { PageHeading } from '../../ui/page-heading';
import { useTask } from '../../ui/use-task';

/**
 * Commits this tab started: the run's page follows them to their end even when the first read
 * already finds them finished, so a quick run still ends with its result, not a silent page.
 */
export const commitsStartedHere = new Set<string>();

const reasonCount = (run: PlanHeader, reason?: string) => {
  const reasons = (run.summary.reasons ?? {}) as Record<string, number>;
  return reason ? (reasons[reason] ?? 0) : Object.values(reasons).reduce((sum, count) => sum + count, 0);
};

/** The sync status: start a run (or a dry run) and the latest runs, each opening its details. */
export function SyncRuns() {
  const t = useT();
  const [runs, setRuns] = useState<PlanHeader[] | undefined>();
  const load = useTask();
  const start = useTask();

  useEffect(() => {
    void load.run(async () => setRuns((await syncRuns(20)).runs));
  }, []);

  const run = (dryRun: boolean) =>
    start.run(async () => {
      const started = await startSyncRun(dryRun);
      if (started.job) commitsStartedHere.add(started.job.id);
      navigate(href.syncRun(started.plan.id));
    });

  return (
    <>
      <PageHeading>{t.sync.title}</PageHeading>
      <p class="lead">{t.sync.intro}</p>
      <div class="actions">
        <button type="button" class="button-primary" disabled={start.busy} onClick={() => run(false)}>
          {t.sync.runNow}
        </button>
        <button type="button" disabled={start.busy} onClick={() => run(true)}>
          {t.sync.dryRun}
        </button>
        {start.busy && <span role="status">{t.sync.starting}</span>}
      </div>
      <ErrorNote error={start.error} />
      <section class="card" aria-labelledby="runs-heading">
        <h2 id="runs-heading">{t.sync.runs}</h2>
        <ErrorNote error={load.error} />
        {runs && runs.length === 0 && <InfoNote>{t.sync.noRuns}</InfoNote>}
        {runs && runs.length > 0 && (
          <div class="table-scroll">
            <table class="table">
              <caption class="visually-hidden">{t.sync.runs}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.sync.started}</th>
                  <th scope="col">{t.sync.status}</th>
                  <th scope="col" class="col-number">
                    {t.sync.changed}
                  </th>
                  <th scope="col" class="col-number">
                    {t.sync.conflicts}
                  </th>
                  <th scope="col" class="col-number">
                    {t.sync.errors}
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.map((entry) => (
                  <tr key={entry.id}>
                    <td>
                      <a
                        href={href.syncRun(entry.id)}
                        aria-label={t.sync.detailsOf(t.common.date(entry.createdAt))}
                      >
                        {t.common.date(entry.createdAt)}
                      </a>
                    </td>
                    <td>
                      <span class={`status status-${entry.status}`}>
                        {t.sync.statuses[entry.status] ?? entry.status}
                      </span>
                    </td>
                    <td class="col-number">{t.common.count(reasonCount(entry))}</td>
                    <td class="col-number">{t.common.count(reasonCount(entry, 'conflict'))}</td>
                    <td class="col-number">{t.common.count(reasonCount(entry, 'error'))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
