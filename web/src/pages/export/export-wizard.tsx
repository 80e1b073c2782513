import { useState } from 'preact/hooks';
import {
  cancelPlan,
  chooseExportOption,
  commitPlan,
  createExportPlan,
  downloadPlan,
  type ExportCriteria,
  planView,
} from '../../api/endpoints';
import { failureOf, followJob } from '../../api/follow-job';
import type { Job, PlanView } from '../../api/types';
import { useT } from '../../i18n/language';
import { href, navigate } from '../../router';
import { ErrorNote, InfoNote } from '../../ui/error-note';
import { PageHeading } from '../../ui/page-heading';
import { Progress } from '../../ui/progress';
import { saveDownload } from '../../ui/save-download';
import { Steps } from '../../ui/steps';
import { useTask } from '../../ui/use-task';
import { WizardEndActions } from '../../ui/wizard-end';
import { type NotWritten, NotWrittenList } from '../not-written';
import { AssignmentTable } from './assignment-table';
import { OptionsDialog } from './options-dialog';
import { SearchForm } from './search-form';

type Stage =
  | { step: 'search' }
  | { step: 'assign'; view: PlanView; options: boolean }
  | { step: 'running'; view: PlanView; file: boolean; progress?: { done: number; total: number } }
  | {
      step: 'done';
      planId: string;
      exported: number;
      notExported: NotWritten[];
      file?: string;
      problems: number;
    }
  | { step: 'cancelled' };

const stepIndex = { search: 0, assign: 1, running: 2, done: 2, cancelled: 0 } as const;

/**
 * "Ansprechpartner exportieren" (E1–E7): search, move records into the selected list (those
 * exported before arrive there already), "Speichern" for the export options, "Exportieren".
 * "Abbrechen" at any step ends the wizard and writes nothing.
 */
export function ExportWizard() {
  const t = useT();
  const [stage, setStage] = useState<Stage>({ step: 'search' });
  const [criteria, setCriteria] = useState<ExportCriteria>({});
  const [partnerName, setPartnerName] = useState<string | undefined>();
  const [building, setBuilding] = useState<Job['progress']>(undefined);
  const task = useTask();

  const search = (next: ExportCriteria, name?: string) => {
    setCriteria(next);
    setPartnerName(name);
    setBuilding(undefined);
    void task.run(async () =>
      setStage({ step: 'assign', view: await createExportPlan(next, setBuilding), options: false }),
    );
  };

  const cancel = (view?: PlanView) =>
    task.run(async () => {
      if (view) await cancelPlan(view.plan.id);
      setStage({ step: 'cancelled' });
    });

  const runExport = (view: PlanView, option: string) =>
    task.run(async () => {
      const planId = view.plan.id;
      const chosen = await chooseExportOption(planId, option);
      if (chosen.delivery === 'download') {
        setStage({ step: 'running', view: chosen, file: true });
        const file = await saveDownload(await downloadPlan(planId), `${option}.vcf`);
        const done = await planView(planId);
        setStage({
          step: 'done',
          planId,
          exported: Number(done.plan.summary.exported ?? 0),
          notExported: [],
          problems: Number(done.plan.summary.problemCount ?? 0),
          file,
        });
        return;
      }
      setStage({ step: 'running', view: chosen, file: false });
      const started = await commitPlan(planId);
      const ended = await followJob(started.id, (job) => {
        if (job.progress) setStage({ step: 'running', view: chosen, file: false, progress: job.progress });
      });
      if (ended.state !== 'done') throw failureOf(ended);
      setStage({
        step: 'done',
        planId,
        exported: Number(ended.result?.exported ?? 0),
        notExported: (ended.result?.notExported as NotWritten[] | undefined) ?? [],
        problems: 0,
      });
    });

  return (
    <>
      <PageHeading>{t.export.title}</PageHeading>
      <Steps steps={t.export.steps} current={stepIndex[stage.step]} />
      {stage.step === 'search' && (
        <>
          <SearchForm
            criteria={criteria}
            partnerName={partnerName}
            busy={task.busy}
            onSearch={search}
            onCancel={() => navigate(href.start)}
          />
          {task.busy && (
            <>
              <p role="status">{t.export.searching}</p>
              {building && (
                <Progress label={t.export.searchProgressLabel} done={building.done} total={building.total} />
              )}
            </>
          )}
          <ErrorNote error={task.error} />
        </>
      )}
      {stage.step === 'assign' && (
        <>
          <AssignmentTable
            view={stage.view}
            onView={(view) => setStage({ ...stage, view })}
            onSave={() => setStage({ ...stage, options: true })}
            onNewSearch={() => setStage({ step: 'search' })}
            onCancel={() => cancel(stage.view)}
            busy={task.busy}
          />
          <ErrorNote error={task.error} />
          {stage.options && (
            <OptionsDialog
              count={stage.view.counts['selected:true'] ?? 0}
              groupwareId={stage.view.plan.options.groupwareConnector as string | undefined}
              current={stage.view.plan.options.exportOption as string | undefined}
              onExport={(option) => runExport(stage.view, option)}
              onBack={() => setStage({ ...stage, options: false })}
              onCancel={() => cancel(stage.view)}
            />
          )}
        </>
      )}
      {stage.step === 'running' && (
        <section class="card" aria-busy={!task.error}>
          <PageHeading level={2}>{stage.file ? t.export.preparingFile : t.export.running}</PageHeading>
          <Progress
            label={t.export.progressLabel}
            done={stage.progress?.done}
            total={stage.progress?.total}
          />
          <ErrorNote error={task.error} />
          {task.error ? (
            <div class="actions">
              <button
                type="button"
                onClick={() => setStage({ step: 'assign', view: stage.view, options: false })}
              >
                {t.export.backToTable}
              </button>
            </div>
          ) : null}
        </section>
      )}
      {stage.step === 'done' && (
        <section class="card">
          <PageHeading level={2}>{t.export.finished}</PageHeading>
          <InfoNote kind="success">
            <p>{t.export.exported(stage.exported)}</p>
            {stage.file && <p>{t.export.downloaded(stage.file)}</p>}
          </InfoNote>
          {stage.notExported.length > 0 && (
            <>
              <p>{t.export.notExported(stage.notExported.length)}</p>
              <NotWrittenList planId={stage.planId} entries={stage.notExported} />
            </>
          )}
          {stage.problems > 0 && <p>{t.export.notExported(stage.problems)}</p>}
          <WizardEndActions again={t.export.again} onAgain={() => setStage({ step: 'search' })} />
        </section>
      )}
      {stage.step === 'cancelled' && (
        <section class="card">
          <InfoNote>{t.export.cancelled}</InfoNote>
          <WizardEndActions again={t.export.again} onAgain={() => setStage({ step: 'search' })} />
        </section>
      )}
    </>
  );
}
