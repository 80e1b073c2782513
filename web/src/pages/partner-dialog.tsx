import { useEffect, useState } from 'preact/hooks';
import { searchPartners } from '../api/endpoints';
import type { BusinessPartner, PartnerAssignment } from '../api/types';
import { useT } from '../i18n/language';
import { Dialog } from '../ui/dialog';
import { ErrorNote, InfoNote } from '../ui/error-note';
import { useTask } from '../ui/use-task';

export interface PartnerCriteria {
  name?: string;
  domain?: string;
  city?: string;
}

/**
 * The magnifier's dialog (I5): search the CRM's business partners by name, e-mail domain or
 * city and take one. The resolvers' suggestions, when they could not choose, come first.
 */
export function PartnerDialog(props: {
  subtitle?: string;
  initial: PartnerCriteria;
  candidates?: PartnerAssignment[];
  /** The word on each row's button, and its full accessible name. */
  action: { label: string; named: (name: string) => string };
  onPick: (partner: { id: string; name: string }) => Promise<void> | void;
  onClose: () => void;
}) {
  const t = useT();
  const [criteria, setCriteria] = useState<PartnerCriteria>(props.initial);
  const [found, setFound] = useState<{ partners: BusinessPartner[]; complete: boolean } | undefined>();
  const search = useTask();
  const pick = useTask();

  const run = () => search.run(async () => setFound(await searchPartners(criteria)));
  useEffect(() => {
    if (props.initial.name || props.initial.domain || props.initial.city) void run();
  }, []);

  const field = (key: keyof PartnerCriteria, label: string) => (
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
  const choose = (partner: { id: string; name: string }) => pick.run(async () => props.onPick(partner));

  return (
    <Dialog title={t.partnerDialog.title} subtitle={props.subtitle} onClose={props.onClose} wide>
      <form
        class="form-row"
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        {field('name', t.partnerDialog.name)}
        {field('domain', t.partnerDialog.domain)}
        {field('city', t.partnerDialog.city)}
        <button type="submit" class="button-primary" disabled={search.busy}>
          {t.common.search}
        </button>
      </form>
      <ErrorNote error={search.error} />
      <ErrorNote error={pick.error} />
      {props.candidates && props.candidates.length > 0 && (
        <section aria-label={t.partnerDialog.suggestions}>
          <h3>{t.partnerDialog.suggestions}</h3>
          <ul class="plain-list">
            {props.candidates.map((candidate) => (
              <li key={candidate.partner.id} class="candidate">
                <span>
                  {candidate.partner.name} <span class="muted">({candidate.partner.id})</span>
                </span>
                <button
                  type="button"
                  aria-label={props.action.named(candidate.partner.name)}
                  disabled={pick.busy}
                  onClick={() => choose(candidate.partner)}
                >
                  {props.action.label}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div aria-busy={search.busy} class="dialog-results">
        {found &&
          (found.partners.length === 0 ? (
            <InfoNote>{t.partnerDialog.none}</InfoNote>
          ) : (
            <>
              <p role="status">
                {t.partnerDialog.found(found.partners.length)}
                {!found.complete && ` ${t.partnerDialog.more}`}
              </p>
              <div class="table-scroll">
                <table class="table">
                  <caption class="visually-hidden">{t.partnerDialog.results}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.partnerDialog.name}</th>
                      <th scope="col">{t.partnerDialog.number}</th>
                      <th scope="col">{t.partnerDialog.city}</th>
                      <th scope="col" class="col-wide-only">
                        {t.partnerDialog.domains}
                      </th>
                      <th scope="col">
                        <span class="visually-hidden">{props.action.label}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {found.partners.map((partner) => (
                      <tr key={partner.id}>
                        <td>{partner.name}</td>
                        <td>{partner.id}</td>
                        <td>{partner.address?.city ?? ''}</td>
                        <td class="col-wide-only">{partner.emailDomains?.join(', ') ?? ''}</td>
                        <td>
                          <button
                            type="button"
                            aria-label={props.action.named(partner.name)}
                            disabled={pick.busy}
                            onClick={() => choose(partner)}
                          >
                            {props.action.label}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ))}
      </div>
      <div class="actions">
        <button type="button" onClick={props.onClose}>
          {t.common.close}
        </button>
      </div>
    </Dialog>
  );
}
