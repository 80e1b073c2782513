import type { ComponentChildren } from 'preact';
import { useEffect, useErrorBoundary, useState } from 'preact/hooks';
import { accountInUse, type GroupwareAccount } from './api/account';
import { whenSignInNeeded } from './api/http';
import { currentSession, type Session, signOut } from './api/session';
import { CatalogProvider } from './catalog';
import { LanguageProvider, useLanguage } from './i18n/language';
import { ContactSearch } from './pages/contacts/contact-search';
import { ContactView } from './pages/contacts/contact-view';
import { ExportWizard } from './pages/export/export-wizard';
import { ImportWizard } from './pages/import/import-wizard';
import { SignIn } from './pages/sign-in';
import { StartPage } from './pages/start';
import { SyncRunView } from './pages/sync/sync-run';
import { SyncRuns } from './pages/sync/sync-runs';
import { href, type Route, useRoute } from './router';
import { AccountPicker, settleAccount } from './ui/account-picker';
import { ErrorNote } from './ui/error-note';
import { PageHeading } from './ui/page-heading';

export function App() {
  return (
    <LanguageProvider>
      <Shell />
    </LanguageProvider>
  );
}

function Shell() {
  const { t, lang, setLang } = useLanguage();
  const { route, hash } = useRoute();
  const [session, setSession] = useState<Session | undefined>(undefined);
  const [sessionError, setSessionError] = useState<unknown>(undefined);
  // Pages wait until the account is settled, so that none asks the host about another one first.
  const [accounts, setAccounts] = useState<{ choices: GroupwareAccount[]; chosen?: string } | undefined>();

  useEffect(() => {
    whenSignInNeeded(() => setSession({ state: 'signed-out' }));
    currentSession().then(setSession, setSessionError);
  }, []);

  const user = session?.state === 'signed-in' ? session.user : undefined;
  useEffect(() => {
    setAccounts(undefined);
    if (!user) return;
    settleAccount(user).then(
      (choices) => setAccounts({ choices, chosen: choices.length ? accountInUse() : undefined }),
      // Without the list the host's default account serves, as it would with one account only.
      () => setAccounts({ choices: [] }),
    );
  }, [user?.id, user?.account]);

  const ready = session !== undefined && session.state !== 'signed-out';
  return (
    <CatalogProvider ready={ready}>
      {/* A button, not a link: the page's URL fragment names the page, not a place on it. */}
      <button type="button" class="skip-link" onClick={skipToMain}>
        {t.app.skipLink}
      </button>
      <header class="app-header">
        <a class="app-name" href={href.start}>
          <span class="app-logo" aria-hidden="true">
            ⇄
          </span>
          {t.app.name}
          <span class="app-tagline">{t.app.tagline}</span>
        </a>
        {ready && (
          <nav aria-label={t.app.nav} class="app-nav">
            <a href={href.start} aria-current={route.page === 'start' ? 'page' : undefined}>
              {t.app.navStart}
            </a>
            <a
              href={href.contacts()}
              aria-current={route.page === 'contacts' || route.page === 'contact' ? 'page' : undefined}
            >
              {t.app.navContacts}
            </a>
            <a
              href={href.sync}
              aria-current={route.page === 'sync' || route.page === 'sync-run' ? 'page' : undefined}
            >
              {t.app.navSync}
            </a>
          </nav>
        )}
        <div class="app-tools">
          {ready && accounts && (
            <AccountPicker
              choices={accounts.choices}
              chosen={accounts.chosen}
              onChoose={(chosen) => setAccounts({ ...accounts, chosen })}
            />
          )}
          {/* On an open host nobody signed in, and signing out would lead nowhere. */}
          {session?.state === 'signed-in' && session.mode === 'session' && (
            <>
              <span class="app-user">{t.app.signedInAs(session.user.login)}</span>
              <button
                type="button"
                class="button-quiet"
                onClick={() => signOut().finally(() => setSession({ state: 'signed-out' }))}
              >
                {t.app.signOut}
              </button>
            </>
          )}
          <button
            type="button"
            class="button-quiet"
            lang={t.app.switchLanguageLang}
            onClick={() => setLang(lang === 'de' ? 'en' : 'de')}
          >
            {t.app.switchLanguage}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {sessionError ? (
          <ErrorNote error={sessionError} />
        ) : session === undefined ? (
          <p class="loading">{t.app.loading}</p>
        ) : session.state === 'signed-out' ? (
          <SignIn onSignedIn={setSession} />
        ) : accounts === undefined ? (
          <p class="loading">{t.app.loading}</p>
        ) : (
          <PageBoundary key={`${hash} ${accounts.chosen ?? ''}`}>
            <Page route={route} />
          </PageBoundary>
        )}
      </main>
    </CatalogProvider>
  );
}

function skipToMain() {
  document.getElementById('main')?.focus();
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'start':
      return <StartPage />;
    case 'export':
      return <ExportWizard />;
    case 'import':
      return <ImportWizard />;
    case 'contacts':
      return <ContactSearch query={route.query} />;
    case 'contact':
      return <ContactView crmId={route.crmId} />;
    case 'sync':
      return <SyncRuns />;
    case 'sync-run':
      return <SyncRunView planId={route.planId} />;
    case 'not-found':
      return <NotFound />;
  }
}

/** A page that fails while drawing shows why, with a way on; never a blank page. */
function PageBoundary({ children }: { children: ComponentChildren }) {
  const { t } = useLanguage();
  const [error, reset] = useErrorBoundary();
  if (error)
    return (
      <div>
        <PageHeading>{t.app.pageFailed}</PageHeading>
        <ErrorNote error={error} />
        <p>
          <button type="button" onClick={() => location.reload()}>
            {t.app.reload}
          </button>{' '}
          <a href={href.start} onClick={() => reset()}>
            {t.app.toStart}
          </a>
        </p>
      </div>
    );
  return <>{children}</>;
}

function NotFound() {
  const { t } = useLanguage();
  return (
    <>
      <PageHeading>{t.app.notFound}</PageHeading>
      <p>
        <a href={href.start}>{t.app.toStart}</a>
      </p>
    </>
  );
}
