import { useCatalog } from '../catalog';
import { useT } from '../i18n/language';
import { href } from '../router';
import { ErrorNote } from '../ui/error-note';
import { PageHeading } from '../ui/page-heading';

/** The quick-start bar of the manual: the two wizards first, then the contact view and the sync. */
export function StartPage() {
  const t = useT();
  const catalog = useCatalog();
  const entries = [
    { to: href.export, label: t.start.exportAction, hint: t.start.exportHint, icon: '⇥', main: true },
    { to: href.import, label: t.start.importAction, hint: t.start.importHint, icon: '⇤', main: true },
    {
      to: href.contacts(),
      label: t.start.contactsAction,
      hint: t.start.contactsHint,
      icon: '☰',
      main: false,
    },
    { to: href.sync, label: t.start.syncAction, hint: t.start.syncHint, icon: '⟳', main: false },
  ];
  const overview = catalog.connectors;
  return (
    <>
      <PageHeading>{t.start.heading}</PageHeading>
      <p class="lead">{t.start.intro}</p>
      <section aria-labelledby="quick-start">
        <h2 id="quick-start">{t.start.quickStart}</h2>
        <ul class="quick-start">
          {entries.map((entry) => (
            <li key={entry.to}>
              <a class={entry.main ? 'tile tile-main' : 'tile'} href={entry.to}>
                <span class="tile-icon" aria-hidden="true">
                  {entry.icon}
                </span>
                <span class="tile-label">{entry.label}</span>
                <span class="tile-hint">{entry.hint}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="connections">
        <h2 id="connections">{t.start.connections}</h2>
        {catalog.error ? <ErrorNote error={catalog.error} /> : null}
        {overview && (
          <dl class="connections">
            <dt>{t.start.crm}</dt>
            <dd>
              <span class={overview.crm.health.ok ? 'dot dot-ok' : 'dot dot-bad'} aria-hidden="true" />
              {overview.crm.health.ok ? t.start.reachable : t.start.unreachable}
            </dd>
            <dt>{t.start.groupware}</dt>
            <dd>
              <span class={overview.groupware.health.ok ? 'dot dot-ok' : 'dot dot-bad'} aria-hidden="true" />
              {t.connectorNames[overview.groupware.id] ?? overview.groupware.id} –{' '}
              {overview.groupware.health.ok ? t.start.reachable : t.start.unreachable}
              {overview.groupware.fallbackReason && (
                <span class="muted"> ({t.start.fallback(overview.groupware.fallbackReason)})</span>
              )}
            </dd>
          </dl>
        )}
      </section>
    </>
  );
}
