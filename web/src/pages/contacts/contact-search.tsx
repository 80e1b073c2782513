import { useEffect, useState } from 'preact/hooks';
import { type ContactCriteria, searchContacts } from '../../api/endpoints';
import type { Contact } from '../../api/types';
import { useT } from '../../i18n/language';
import { href, replaceRoute } from '../../router';
import { ErrorNote, InfoNote } from '../../ui/error-note';
import { cityOf, firstEmail, nameOf } from '../../ui/names';
import { PageHeading } from '../../ui/page-heading';
import { Pager } from '../../ui/pager';
import { useTask } from '../../ui/use-task';

const fields = ['name', 'partnerId', 'city', 'email', 'phone'] as const;
const pageSize = 50;
/** A search answers every hit; more than this many asks for a narrower search rather than a longer list. */
const keptAtMost = 1000;

/** The CRM's contact persons, found by name, partner, city, e-mail or phone, each opening its contact view (S2). */
export function ContactSearch({ query }: { query: URLSearchParams }) {
  const t = useT();
  const fromUrl = (): ContactCriteria =>
    Object.fromEntries(fields.flatMap((key) => (query.get(key) ? [[key, query.get(key)!]] : [])));
  const [criteria, setCriteria] = useState<ContactCriteria>(fromUrl);
  const [found, setFound] = useState<{ contacts: Contact[]; total: number } | undefined>();
  const [offset, setOffset] = useState(0);
  const [empty, setEmpty] = useState(false);
  const task = useTask();

  const search = (wanted: ContactCriteria) => {
    if (!fields.some((key) => wanted[key])) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    replaceRoute(href.contacts(new URLSearchParams(wanted as Record<string, string>).toString()));
    void task.run(async () => {
      const answer = await searchContacts(wanted);
      setOffset(0);
      setFound({ contacts: answer.contacts.slice(0, keptAtMost), total: answer.contactCount });
    });
  };
  // Back from a contact view, the search it came from is shown again.
  useEffect(() => {
    if (fields.some((key) => criteria[key])) search(criteria);
  }, []);

  const labels: Record<(typeof fields)[number], string> = {
    name: t.contact.name,
    partnerId: t.export.partnerId,
    city: t.contact.city,
    email: t.contact.email,
    phone: t.contact.phone,
  };
  const shown = found?.contacts.slice(offset, offset + pageSize) ?? [];

  return (
    <>
      <PageHeading>{t.contacts.title}</PageHeading>
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          search(criteria);
        }}
      >
        <fieldset class="form-grid" disabled={task.busy}>
          <legend>{t.contacts.searchLegend}</legend>
          {fields.map((key) => (
            <label key={key}>
              {labels[key]}
              <input
                name={key}
                value={criteria[key] ?? ''}
                onInput={(event) =>
                  setCriteria({ ...criteria, [key]: event.currentTarget.value.trim() || undefined })
                }
              />
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" class="button-primary" disabled={task.busy}>
            {t.common.search}
          </button>
        </div>
        {empty && (
          <p class="note note-error" role="alert">
            {t.contacts.needCriterion}
          </p>
        )}
      </form>
      <ErrorNote error={task.error} />
      {found && (
        <section class="card" aria-labelledby="contact-results" aria-busy={task.busy}>
          <h2 id="contact-results">{t.contacts.results}</h2>
          {found.total === 0 ? (
            <InfoNote>{t.contacts.found(0)}</InfoNote>
          ) : (
            <>
              <p role="status">
                {t.contacts.found(found.total)}
                {found.total > found.contacts.length && ` ${t.contacts.shownFirst(found.contacts.length)}`}
              </p>
              <div class="table-scroll">
                <table class="table">
                  <caption class="visually-hidden">{t.contacts.results}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.contact.name}</th>
                      <th scope="col">{t.contact.partner}</th>
                      <th scope="col">{t.contact.city}</th>
                      <th scope="col">{t.contacts.synced}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((contact) => {
                      const name = nameOf(contact, contact.ids.crmId ?? '');
                      return (
                        <tr key={contact.ids.crmId}>
                          <td>
                            <a href={href.contact(contact.ids.crmId ?? '')}>{name}</a>
                            {firstEmail(contact) && <span class="cell-sub">{firstEmail(contact)}</span>}
                          </td>
                          <td>{contact.company ?? contact.partnerId ?? ''}</td>
                          <td>{cityOf(contact)}</td>
                          <td>{contact.groupwareSync ? t.common.yes : t.common.no}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <Pager
                label={t.contacts.results}
                offset={offset}
                limit={pageSize}
                total={found.contacts.length}
                onChange={setOffset}
              />
            </>
          )}
        </section>
      )}
    </>
  );
}
