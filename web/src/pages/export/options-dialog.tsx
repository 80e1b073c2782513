import { useState } from 'preact/hooks';
import { useCatalog } from '../../catalog';
import { useT } from '../../i18n/language';
import { Dialog } from '../../ui/dialog';

/**
 * E6: "Speichern" opens this choice of where the selected contacts go — the groupware in use,
 * or one of the export options the plugins offer (vCard files) — then "Exportieren" runs it
 * and "Abbrechen" ends the wizard with nothing changed.
 */
export function OptionsDialog(props: {
  count: number;
  groupwareId?: string;
  current?: string;
  onExport: (option: string) => void;
  onBack: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const { exportOptions } = useCatalog();
  const choices = [
    ...(props.groupwareId
      ? [
          {
            id: props.groupwareId,
            name: t.export.toGroupware(t.connectorNames[props.groupwareId] ?? props.groupwareId),
            hint: t.export.toGroupwareHint,
          },
        ]
      : []),
    ...exportOptions.map((option) => ({
      id: option.id,
      name: t.export.optionNames[option.id] ?? option.displayName ?? option.id,
      hint: t.export.optionHints[option.id] ?? '',
    })),
  ];
  const [chosen, setChosen] = useState(props.current ?? choices[0]?.id);
  return (
    <Dialog title={t.export.optionsTitle} onClose={props.onBack}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (chosen) props.onExport(chosen);
        }}
      >
        <fieldset class="choices">
          <legend>{t.export.optionsLegend(props.count)}</legend>
          {choices.map((choice) => (
            <label key={choice.id} class="choice">
              <input
                type="radio"
                name="exportOption"
                value={choice.id}
                checked={chosen === choice.id}
                onChange={() => setChosen(choice.id)}
              />
              <span>
                <span class="choice-name">{choice.name}</span>
                {choice.hint && <span class="choice-hint">{choice.hint}</span>}
              </span>
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" class="button-primary" disabled={!chosen}>
            {t.export.run}
          </button>
          <button type="button" onClick={props.onBack}>
            {t.export.backToTable}
          </button>
          <button type="button" class="button-danger-quiet" onClick={props.onCancel}>
            {t.common.cancel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
