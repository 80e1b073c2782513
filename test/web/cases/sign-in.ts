import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { ApiWorld } from '../../api/support/api-world.js';
import { openWithMuellerSoehne } from '../support/mueller-world.js';
import { checkStep } from '../support/page-checks.js';
import { browserSession } from '../support/session-hooks.js';

const password = 'anna-correct-horse-battery';

export function signInCases(browser: () => Browser): void {
  describe('signing in (access control)', () => {
    let api: ApiWorld;
    let adler: string;

    before(async () => {
      api = await openWithMuellerSoehne();
      adler = api.world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Kim',
        lastName: 'Adler',
        groupwareSync: false,
        emails: [{ address: 'kim.adler@mueller-soehne.de', kind: 'work' }],
      }).id;
    });
    after(async () => api?.close());
    const browsing = browserSession(browser, () => api.host.url);

    it('works without signing in on a host without users, and offers no sign-out there', async () => {
      const { session, page } = browsing;
      await session.goto('#/');
      await page.getByRole('heading', { level: 1, name: 'Ansprechpartnerabgleich' }).waitFor();
      expect(await page.getByRole('button', { name: 'Abmelden' }).count()).to.equal(0);
      expect(await page.getByText('Angemeldet als').count()).to.equal(0);
    });

    it('asks to sign in once a user exists, says a wrong password in place, and lets the user work and sign out', async () => {
      const { session, page } = browsing;
      const created = await api.call('POST', '/users', { login: 'anna', password, role: 'admin' });
      expect(created.status, created.text).to.equal(201);
      // The page's own question for the session and the refused password are answered 401 on purpose.
      session.allowConsoleError(/status of 401/);

      await session.goto(`#/contacts/${adler}`);
      await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
      await checkStep(page, 'sign-in');

      await page.getByRole('textbox', { name: 'Benutzername' }).fill('anna');
      await page.getByLabel('Passwort').fill('not-the-password-at-all');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page
        .getByRole('alert')
        .getByText('Die Anmeldung ist fehlgeschlagen.', { exact: false })
        .waitFor();
      expect(await page.getByRole('textbox', { name: 'Benutzername' }).inputValue()).to.equal('anna');
      await checkStep(page, 'sign-in-failed');

      const tokens: (string | undefined)[] = [];
      page.on('request', (request) => {
        if (request.method() !== 'GET' && new URL(request.url()).pathname.startsWith('/api/v1/crm/'))
          tokens.push(request.headers()['x-csrf-token']);
      });
      await page.getByLabel('Passwort').fill(password);
      const [signedIn] = await Promise.all([
        page.waitForResponse(
          (answer) => answer.url().endsWith('/api/v1/session') && answer.request().method() === 'POST',
        ),
        page.getByRole('button', { name: 'Anmelden' }).click(),
      ]);
      expect(signedIn.status()).to.equal(200);
      const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
      await page.getByRole('heading', { level: 1, name: 'Kim Adler' }).waitFor();
      await page.getByText('Angemeldet als anna').waitFor();

      // A write the host accepts only with the session's CSRF token.
      await page.getByRole('button', { name: 'Ansprechpartner in die Groupware übernehmen' }).click();
      await page.getByText('Dieser Ansprechpartner wird mit der Groupware abgeglichen.').waitFor();
      expect(api.world.cardFiles()).to.have.length(1);
      expect(tokens).to.deep.equal([csrfToken]);

      await page.getByRole('button', { name: 'Abmelden' }).click();
      await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
      expect(await page.getByText('Angemeldet als anna').count()).to.equal(0);
      // Signed out at the host, not only on the page: a fresh load asks to sign in again.
      await session.goto(`#/contacts/${adler}`);
      await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
      expect((await page.context().cookies()).map((cookie) => cookie.name)).not.to.include('crmsync_session');
    });
  });
}
