import { useEffect, useState } from 'preact/hooks';
import {
  addToGroupware,
  contactSync,
  crmContact,
  removeFromGroupware,
  syncRuns,
  whySynced,
} from '../../api/endpoints';
import type { Contact, ContactSyncStatus, PlanHeader, PlanItem } from '../../api/types';
import { useT } from '../../i18n/language';
import { href } from '../../router';
import { Dialog } from '../../ui/dialog';
import { ErrorNote, InfoNote } from '../../ui/error-note';
import { nameOf } from '../../ui/names';
import { PageHeading } from '../../ui/page-heading';
import { useTask } from '../../ui/use-task';

/**
 * A contact person's page (S2): whether it is synchronised with the groupware, with the
 * manual's two actions — take it into the groupware, or delete it there after a question —
 * and what the latest sync run did with it and why.
 */
export function ContactView({ crmId }: { crmId: string }) {
  const t = useT();
  const [contact, setContact] = useState<Contact | undefined>();
  const [status, setStatus] = useState<ContactSyncStatus | undefined>();
  const [done, setDone] = useState<'added' | 'removed' | undefined>();
  const [asking, setAsking] = useState(false);
  const load = useTask();
  const change = useTask();

  useEffect(() => {
    void load.run(async () => {
      const [person, state] = await Promise.all([crmContact(crmId), contactSync(crmId)]);
      setContact(person);
      setStatus(state);
    });
  }, [crmId]);

  const name = nameOf(contact, crmId);
  const toggle = (add: boolean) =>
    change.run(async () => {
      setAsking(false);
      setDone(undefined);
      setStatus(add ? await addToGroupware(crmId) : await removeFromGroupware(crmId));
      setDone(add ? 'added' : 'removed');
    });

  return (
    <>
      <p class="breadcrumb">
        <a href={href.contacts()}>{t.contacts.backToSearch}</a>
      </p>
      <PageHeading>{contact ? name : crmId}</PageHeading>
      <ErrorNote error={load.error} />
      {load.busy && <p class="loading">{t.app.loading}</p>}
      {contact && <ContactDetails contact={contact} />}
      {status && (
        <section class="card" aria-labelledby="sync-heading">
          <h2 id="sync-heading">{t.contacts.syncHeading}</h2>
          <p class={status.synchronised ? 'sync-state sync-on' : 'sync-state sync-off'}>
            <span class="sync-icon" aria-hidden="true">
              {status.synchronised ? '⇄' : '⊘'}
            </span>
            {status.synchronised ? t.contacts.synchronised : t.contacts.notSynchronised}
          </p>
          <div class="actions">
            {status.synchronised ? (
              <button
                type="button"
                class="button-danger"
                disabled={change.busy}
                onClick={() => {
                  setDone(undefined);
                  setAsking(true);
                }}
              >
                {t.contacts.remove}
              </button>
            ) : (
              <button
                type="button"
                class="button-primary"
                disabled={change.busy}
                onClick={() => toggle(true)}
              >
                {t.contacts.add}
              </button>
            )}
            {change.busy && <span role="status">{t.contacts.working}</span>}
          </div>
          {done && (
            <InfoNote kind="success">{done === 'added' ? t.contacts.added : t.contacts.removed}</InfoNote>
          )}
          <ErrorNote error={change.error} />
          <LastRun crmId={crmId} version={done} />
        </section>
      )}
      {asking && (
        <Dialog title={t.contacts.confirmRemoveTitle} onClose={() => setAsking(false)} role="alertdialog">
          <p>{t.contacts.confirmRemoveText(name)}</p>
          <div class="actions">
            <button type="button" class="button-danger" onClick={() => toggle(false)}>
              {t.contacts.confirmRemove}
            </button>
            <button type="button" onClick={() => setAsking(false)} autofocus>
              {t.common.cancel}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

function ContactDetails({ contact }: { contact: Contact }) {
  const t = useT();
  const rows: [string, string][] = [
    [
      t.contact.partner,
      [contact.company, contact.partnerId && `(${contact.partnerId})`].filter(Boolean).join(' '),
    ],
    [t.contact.jobTitle, contact.jobTitle ?? ''],
    [t.contact.department, contact.department ?? ''],
    [t.contact.email, contact.emails.map((email) => email.address).join(', ')],
    [
      t.contact.phone,
      contact.phones
        .map((phone) => `${phone.number} (${t.contact.phoneTypes[phone.type] ?? phone.type})`)
        .join(', '),
    ],
    [
      t.contact.address,
      contact.addresses
        .map((address) =>
          [address.street, [address.postalCode, address.city].filter(Boolean).join(' ')]
            .filter(Boolean)
            .join(', '),
        )
        .join('; '),
    ],
    [t.contact.crmId, contact.ids.crmId ?? ''],
  ];
  return (
    <section class="card">
      <dl class="details">
        {rows
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label} class="detail-row">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

/** What the latest sync run did with this contact, and why ("why (not) synced"). */
function LastRun({ crmId, version }: { crmId: string; version: unknown }) {
  const t = useT();
  const [answer, setAnswer] = useState<{ run?: PlanHeader; item?: PlanItem } | undefined>();
  const task = useTask();
  useEffect(() => {
    void task.run(async () => {
      const [run] = (await syncRuns(1)).runs;
      setAnswer(run ? { run, item: await whySynced(run.id, crmId) } : {});
    });
  }, [crmId, version]);
  if (task.error) return <ErrorNote error={task.error} />;
  if (!answer) return null;
  if (!answer.run) return <p class="muted">{t.contacts.noRuns}</p>;
  const item = answer.item;
  return (
    <div class="last-run">
      <h3>
        <a href={href.syncRun(answer.run.id)}>{t.contacts.lastRun(t.common.date(answer.run.createdAt))}</a>
      </h3>
      <p>
        {item
          ? t.sync.whyAnswer(
              t.actions[item.action] ?? item.action,
              t.reasons[item.reason] ?? item.reason,
              t.outcomes[item.outcome?.state ?? 'none'] ?? '',
            )
          : t.contacts.untouched}
      </p>
    </div>
  );
}
