import { useState } from 'preact/hooks';
import type { ExportCriteria } from '../../api/endpoints';
import { useT } from '../../i18n/language';
import { MagnifierIcon } from '../../ui/icons';
import { PartnerDialog } from '../partner-dialog';

/** E2: the search criteria, continued with "Suchen und bearbeiten". */
export function SearchForm(props: {
  criteria: ExportCriteria;
  partnerName?: string;
  busy: boolean;
  onSearch: (criteria: ExportCriteria, partnerName?: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [criteria, setCriteria] = useState<ExportCriteria>(props.criteria);
  const [partnerName, setPartnerName] = useState(props.partnerName);
  const [choosing, setChoosing] = useState(false);

  const text = (key: 'name' | 'city' | 'email' | 'phone', label: string) => (
    <label>
      {label}
      <input
        name={key}
        value={criteria[key] ?? ''}
        onInput={(event) =>
          setCriteria({ ...criteria, [key]: event.currentTarget.value.trim() || undefined })
        }
      />
    </label>
  );

  return (
    <form
      class="card"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSearch(criteria, partnerName);
      }}
    >
      <fieldset class="form-grid" disabled={props.busy}>
        <legend>{t.export.criteria}</legend>
        <p class="hint">{t.export.criteriaHint}</p>
        {text('name', t.contact.name)}
        <div class="field-with-button">
          <label>
            {t.export.partnerId}
            <input
              name="partnerId"
              value={criteria.partnerId ?? ''}
              aria-describedby={partnerName ? 'partner-name' : undefined}
              onInput={(event) => {
                setPartnerName(undefined);
                setCriteria({ ...criteria, partnerId: event.currentTarget.value.trim() || undefined });
              }}
            />
          </label>
          <button
            type="button"
            class="icon-button"
            aria-label={t.export.findPartner}
            title={t.export.findPartner}
            onClick={() => setChoosing(true)}
          >
            <MagnifierIcon />
          </button>
          {partnerName && (
            <span id="partner-name" class="muted field-note">
              {partnerName}
            </span>
          )}
        </div>
        {text('city', t.contact.city)}
        {text('email', t.contact.email)}
        {text('phone', t.contact.phone)}
        <label>
          {t.export.groupwareSync}
          <select
            name="groupwareSync"
            value={criteria.groupwareSync === undefined ? '' : String(criteria.groupwareSync)}
            onChange={(event) => {
              const value = event.currentTarget.value;
              const { groupwareSync: _dropped, ...rest } = criteria;
              setCriteria(value === '' ? rest : { ...rest, groupwareSync: value === 'true' });
            }}
          >
            <option value="">{t.export.syncAny}</option>
            <option value="true">{t.export.syncOn}</option>
            <option value="false">{t.export.syncOff}</option>
          </select>
        </label>
      </fieldset>
      <div class="actions">
        <button type="submit" class="button-primary" disabled={props.busy}>
          {t.export.searchAndEdit}
        </button>
        <button type="button" onClick={props.onCancel} disabled={props.busy}>
          {t.common.cancel}
        </button>
      </div>
      {choosing && (
        <PartnerDialog
          initial={{}}
          action={{ label: t.partnerDialog.choose, named: t.partnerDialog.chooseNamed }}
          onPick={(partner) => {
            setCriteria({ ...criteria, partnerId: partner.id });
            setPartnerName(partner.name);
            setChoosing(false);
          }}
          onClose={() => setChoosing(false)}
        />
      )}
    </form>
  );
}
