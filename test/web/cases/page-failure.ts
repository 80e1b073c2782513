import { expect } from 'chai';
import type { Browser, Page, Route } from 'playwright-core';
import { ApiWorld } from '../../api/support/api-world.js';
import { expectAccessible } from '../support/page-checks.js';
import { browserSession } from '../support/session-hooks.js';

const pageFailed = 'Diese Seite konnte nicht angezeigt werden.';

/** Answers one API path with a body of the caller's choosing until the returned function is called. */
async function answerWith(page: Page, path: string, body: unknown): Promise<() => Promise<void>> {
  const matches = (url: URL) => url.pathname === path;
  const handler = (route: Route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  await page.route(matches, handler);
  return () => page.unroute(matches, handler);
}

/** The page still shows the app around the failure: the menu and a heading, never an empty main. */
async function expectNotBlank(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Hauptmenü' }).waitFor();
  const text = ((await page.getByRole('main').textContent()) ?? '').trim();
  expect(text).to.not.equal('');
}

export function pageFailureCases(browser: () => Browser): void {
  describe('a page that fails to draw', () => {
    let api: ApiWorld;

    before(async () => {
      api = await ApiWorld.open();
    });
    after(async () => api?.close());
    const browsing = browserSession(browser, () => api.host.url);

    // A host of another crmsync version, or a proxy in between, can answer a route with JSON the
    // page was not written for; the user must learn that the page failed and still get around.
    it('says the sync runs could not be shown when the host lists them in another shape, and the menu still leads on', async () => {
      const { session, page } = browsing;
      // Runs without the summary this client counts changes from: their counts sit elsewhere.
      const restore = await answerWith(page, '/api/v1/sync-runs', {
        runs: [
          {
            id: 'run-of-another-version',
            kind: 'sync',
            status: 'committed',
            createdAt: Date.UTC(2024, 4, 2, 9, 30),
            counts: { changed: 3, conflicts: 1, errors: 0 },
          },
        ],
      });
      try {
        await session.goto('#/sync');
        await page.getByRole('heading', { level: 1, name: pageFailed }).waitFor();
        const alert = page.getByRole('main').getByRole('alert');
        await alert.waitFor();
        const said = (await alert.textContent()) ?? '';
        expect(said, 'the failure is the client’s, not the server’s words').to.include('Technische Meldung');
        expect(said).not.to.include('Meldung des Servers');
        await expectNotBlank(page);
        await expectAccessible(page, 'the page that failed to draw');

        await page
          .getByRole('navigation', { name: 'Hauptmenü' })
          .getByRole('link', { name: 'Start' })
          .click();
        await page.getByRole('link', { name: /Ansprechpartner exportieren/ }).waitFor();
        expect(await page.getByRole('heading', { name: pageFailed }).count()).to.equal(0);
        await expectNotBlank(page);
      } finally {
        await restore();
      }
    });

    it('says a sync run could not be shown when the host describes it in another shape, and the way to the start still works', async () => {
      const { session, page } = browsing;
      // A run whose header has no summary and whose answer has no counts: the page reads both.
      const restore = await answerWith(page, '/api/v1/sync-runs/run-of-another-version', {
        plan: {
          id: 'run-of-another-version',
          kind: 'sync',
          status: 'committed',
          createdAt: '2024-05-02T09:30:00Z',
        },
      });
      try {
        await session.goto('#/sync/run-of-another-version');
        await page.getByRole('heading', { level: 1, name: pageFailed }).waitFor();
        await expectNotBlank(page);

        await page.getByRole('main').getByRole('link', { name: 'Zur Startseite' }).click();
        await page.getByRole('link', { name: /Ansprechpartner exportieren/ }).waitFor();
        expect(new URL(page.url()).hash).to.equal('#/');

        // The list of runs comes from the host itself and draws as usual.
        await page
          .getByRole('navigation', { name: 'Hauptmenü' })
          .getByRole('link', { name: 'Abgleich' })
          .click();
        await page.getByRole('button', { name: 'Jetzt abgleichen' }).waitFor();
        expect(await page.getByRole('heading', { name: pageFailed }).count()).to.equal(0);
        await expectNotBlank(page);
      } finally {
        await restore();
      }
    });
  });
}
