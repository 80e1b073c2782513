import { useState } from 'preact/hooks';
import { selectItems } from '../../api/endpoints';
import type { PlanView } from '../../api/types';
import { useT } from '../../i18n/language';
import { ErrorNote, InfoNote } from '../../ui/error-note';
import { PageHeading } from '../../ui/page-heading';
import { useTask } from '../../ui/use-task';
import { RecordList } from './record-list';

/**
 * E3/E4: the assignment table — available records on the left, selected ones on the right
 * (those exported before are there from the start) — and the buttons that move marked rows
 * or all of them between the two.
 */
export function AssignmentTable(props: {
  view: PlanView;
  onView: (view: PlanView) => void;
  onSave: () => void;
  onNewSearch: () => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const t = useT();
  const { plan, counts } = props.view;
  const [available, setAvailable] = useState<Set<number>>(new Set());
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [version, setVersion] = useState(0);
  const [needSelection, setNeedSelection] = useState(false);
  const move = useTask();

  const availableCount = counts['selected:false'] ?? 0;
  const selectedCount = counts['selected:true'] ?? 0;
  const found = counts.total ?? 0;

  const moveItems = (items: number[] | 'all', selected: boolean) =>
    move.run(async () => {
      props.onView(await selectItems(plan.id, items, selected));
      setNeedSelection(false);
      setAvailable(new Set());
      setChosen(new Set());
      setVersion((v) => v + 1);
    });

  if (found === 0)
    return (
      <section class="card">
        <InfoNote>{t.export.noneFound}</InfoNote>
        <div class="actions">
          <button type="button" class="button-primary" onClick={props.onNewSearch}>
            {t.export.newSearch}
          </button>
          <button type="button" onClick={props.onCancel}>
            {t.common.cancel}
          </button>
        </div>
      </section>
    );

  return (
    <section class="card">
      <PageHeading level={2}>{t.export.table}</PageHeading>
      <p role="status">{t.export.found(found)}</p>
      <p class="hint">{t.export.tableHint}</p>
      <div class="assignment" aria-busy={move.busy}>
        <RecordList
          planId={plan.id}
          selected={false}
          title={t.export.available}
          total={availableCount}
          version={version}
          marks={available}
          onMarks={setAvailable}
          onMove={(seqs) => moveItems(seqs, true)}
        />
        <div class="move-buttons">
          <button
            type="button"
            disabled={available.size === 0 || move.busy}
            onClick={() => moveItems([...available], true)}
          >
            <span aria-hidden="true">›</span> {t.export.moveMarked}
          </button>
          <button
            type="button"
            disabled={availableCount === 0 || move.busy}
            onClick={() => moveItems('all', true)}
          >
            <span aria-hidden="true">»</span> {t.export.moveAll}
          </button>
          <button
            type="button"
            disabled={chosen.size === 0 || move.busy}
            onClick={() => moveItems([...chosen], false)}
          >
            <span aria-hidden="true">‹</span> {t.export.removeMarked}
          </button>
          <button
            type="button"
            disabled={selectedCount === 0 || move.busy}
            onClick={() => moveItems('all', false)}
          >
            <span aria-hidden="true">«</span> {t.export.removeAll}
          </button>
        </div>
        <RecordList
          planId={plan.id}
          selected={true}
          title={t.export.selected}
          total={selectedCount}
          version={version}
          marks={chosen}
          onMarks={setChosen}
          onMove={(seqs) => moveItems(seqs, false)}
        />
      </div>
      <ErrorNote error={move.error} />
      {needSelection && (
        <p class="note note-error" role="alert">
          {t.export.saveNeedsSelection}
        </p>
      )}
      <div class="actions">
        <button
          type="button"
          class="button-primary"
          disabled={props.busy || move.busy}
          onClick={() => (selectedCount === 0 ? setNeedSelection(true) : props.onSave())}
        >
          {t.export.save}
        </button>
        <button type="button" onClick={props.onNewSearch} disabled={props.busy}>
          {t.export.newSearch}
        </button>
        <button type="button" class="button-danger-quiet" onClick={props.onCancel} disabled={props.busy}>
          {t.common.cancel}
        </button>
      </div>
    </section>
  );
}
