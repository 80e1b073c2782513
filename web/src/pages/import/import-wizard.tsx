import { useState } from 'preact/hooks';
import {
  type BuildProgress,
  cancelPlan,
  commitPlan,
  createImportPlan,
  uploadImportPlan,
} from '../../api/endpoints';
import { failureOf, followJob } from '../../api/follow-job';
import type { Job, PlanView } from '../../api/types';
import { useT } from '../../i18n/language';
import { href } from '../../router';
import { ErrorNote, InfoNote } from '../../ui/error-note';
import { PageHeading } from '../../ui/page-heading';
import { Progress } from '../../ui/progress';
import { Steps } from '../../ui/steps';
import { useTask } from '../../ui/use-task';
import { WizardEndActions } from '../../ui/wizard-end';
import { type NotWritten, NotWrittenList } from '../not-written';
import { ImportTable } from './import-table';
import { LeftOut } from './left-out';
import { SourceStep } from './source-step';

type Stage =
  | { step: 'source' }
  | { step: 'review'; view: PlanView }
  | { step: 'running'; view: PlanView; progress?: { done: number; total: number } }
  | { step: 'done'; planId: string; imported: number; notImported: NotWritten[] }
  | { step: 'cancelled' };

const stepIndex = { source: 0, review: 1, running: 2, done: 2, cancelled: 0 } as const;

/**
 * "Ansprechpartner importieren" (I1–I10): the contacts without CRM id, how many and which,
 * each with its duplicate status and business partner; the user assigns partners, ticks the
 * contacts and imports them, and learns how many were imported and why others were not.
 */
export function ImportWizard() {
  const t = useT();
  const [stage, setStage] = useState<Stage>({ step: 'source' });
  const [building, setBuilding] = useState<Job['progress']>(undefined);
  const task = useTask();

  const open = (make: (onProgress: BuildProgress) => Promise<PlanView>) => {
    setBuilding(undefined);
    return task.run(async () => setStage({ step: 'review', view: await make(setBuilding) }));
  };

  const runImport = (view: PlanView) =>
    task.run(async () => {
      setStage({ step: 'running', view });
      const started = await commitPlan(view.plan.id);
      const ended = await followJob(started.id, (job) => {
        if (job.progress) setStage({ step: 'running', view, progress: job.progress });
      });
      if (ended.state !== 'done') throw failureOf(ended);
      setStage({
        step: 'done',
        planId: view.plan.id,
        imported: Number(ended.result?.imported ?? 0),
        notImported: (ended.result?.notImported as NotWritten[] | undefined) ?? [],
      });
    });

  const cancel = (view: PlanView) =>
    task.run(async () => {
      await cancelPlan(view.plan.id);
      setStage({ step: 'cancelled' });
    });

  return (
    <>
      <PageHeading>{t.import.title}</PageHeading>
      <Steps steps={t.import.steps} current={stepIndex[stage.step]} />
      {stage.step === 'source' && (
        <>
          <SourceStep
            busy={task.busy}
            onGroupware={() => open(createImportPlan)}
            onFile={(file) => open((onProgress) => uploadImportPlan(file, onProgress))}
          />
          {task.busy && (
            <>
              <p role="status">{t.import.reading}</p>
              {building && (
                <Progress label={t.import.readProgressLabel} done={building.done} total={building.total} />
              )}
            </>
          )}
          <ErrorNote error={task.error} />
        </>
      )}
      {stage.step === 'review' && (
        <Review
          view={stage.view}
          busy={task.busy}
          error={task.error}
          onView={(view) => setStage({ step: 'review', view })}
          onImport={() => runImport(stage.view)}
          onCancel={() => cancel(stage.view)}
          onOtherSource={() => setStage({ step: 'source' })}
        />
      )}
      {stage.step === 'running' && (
        <section class="card" aria-busy={!task.error}>
          <PageHeading level={2}>{t.import.running}</PageHeading>
          <Progress
            label={t.import.progressLabel}
            done={stage.progress?.done}
            total={stage.progress?.total}
          />
          <ErrorNote error={task.error} />
          {task.error ? (
            <div class="actions">
              <button type="button" onClick={() => setStage({ step: 'review', view: stage.view })}>
                {t.common.back}
              </button>
            </div>
          ) : null}
        </section>
      )}
      {stage.step === 'done' && (
        <section class="card">
          <PageHeading level={2}>{t.import.finished}</PageHeading>
          <InfoNote kind="success">
            <p>{t.import.imported(stage.imported)}</p>
          </InfoNote>
          {stage.notImported.length > 0 && (
            <>
              <p>{t.import.notImported(stage.notImported.length)}</p>
              <NotWrittenList planId={stage.planId} entries={stage.notImported} />
            </>
          )}
          <LeftOut planId={stage.planId} />
          <WizardEndActions again={t.import.again} onAgain={() => setStage({ step: 'source' })} />
        </section>
      )}
      {stage.step === 'cancelled' && (
        <section class="card">
          <InfoNote>{t.import.cancelled}</InfoNote>
          <WizardEndActions again={t.import.again} onAgain={() => setStage({ step: 'source' })} />
        </section>
      )}
    </>
  );
}

function Review(props: {
  view: PlanView;
  busy: boolean;
  error: unknown;
  onView: (view: PlanView) => void;
  onImport: () => void;
  onCancel: () => void;
  onOtherSource: () => void;
}) {
  const t = useT();
  const { plan, counts } = props.view;
  const summary = plan.summary as Record<string, number | undefined>;
  const importable = counts.total ?? 0;
  const fileName = plan.options.source === 'file' ? String(plan.options.fileName ?? '') : undefined;
  const ticked = counts['selected:true'] ?? 0;

  if (importable === 0)
    return (
      <section class="card">
        <PageHeading level={2}>{t.import.importable(0)}</PageHeading>
        <InfoNote>{t.import.nothing}</InfoNote>
        <div class="actions">
          <button type="button" class="button-primary" onClick={props.onOtherSource}>
            {t.common.back}
          </button>
          <a class="button" href={href.start}>
            {t.app.toStart}
          </a>
        </div>
      </section>
    );

  return (
    <section class="card">
      <PageHeading level={2}>
        {t.import.importable(importable)}{' '}
        <span class="heading-sub">
          {fileName ? t.import.fromFile(fileName) : t.import.fromGroupwareSource}
        </span>
      </PageHeading>
      <p class="summary-line">
        {t.import.summary(
          counts['verdict:sure'] ?? 0,
          counts['verdict:possible'] ?? 0,
          counts['reason:no-partner'] ?? summary.noPartner ?? 0,
        )}
      </p>
      <p class="hint">{t.import.tableHint}</p>
      <ImportTable view={props.view} onView={props.onView} />
      <ErrorNote error={props.error} />
      <div class="actions actions-sticky">
        <button
          type="button"
          class="button-primary"
          disabled={ticked === 0 || props.busy}
          onClick={props.onImport}
        >
          {t.import.run}
        </button>
        <span class="muted" role="status">
          {t.import.ticked(ticked)}
        </span>
        <button type="button" class="button-danger-quiet" disabled={props.busy} onClick={props.onCancel}>
          {t.common.cancel}
        </button>
      </div>
    </section>
  );
}
