import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ApiWorld } from '../../api/support/api-world.js';
import { expectAccessible } from '../support/page-checks.js';
import { browserSession } from '../support/session-hooks.js';

export function brokenLinkCases(browser: () => Browser): void {
  describe('a link the client cannot read', () => {
    let api: ApiWorld;

    before(async () => {
      api = await ApiWorld.open();
    });
    after(async () => api?.close());
    const browsing = browserSession(browser, () => api.host.url);

    // A link cut off inside an escape, as a mail program or a hand-typed address leaves it.
    for (const hash of ['#/contacts/50%', '#/sync/%E0%A4%A'])
      it(`shows a page saying so, with the way back, instead of a blank page (${hash})`, async () => {
        const { session, page } = browsing;
        await session.goto(hash);
        await page.getByRole('heading', { level: 1, name: 'Diese Seite gibt es nicht.' }).waitFor();
        await page.getByRole('navigation', { name: 'Hauptmenü' }).waitFor();
        await expectAccessible(page, `the page of the link ${hash}`);
        await page.getByRole('main').getByRole('link', { name: 'Zur Startseite' }).click();
        await page.getByRole('link', { name: /Ansprechpartner exportieren/ }).waitFor();
        expect(new URL(page.url()).hash).to.equal('#/');
      });

    it('shows the next page it can read after one it could not', async () => {
      const { session, page } = browsing;
      await session.goto('#/contacts/50%');
      await page.getByRole('heading', { level: 1, name: 'Diese Seite gibt es nicht.' }).waitFor();
      await page
        .getByRole('navigation', { name: 'Hauptmenü' })
        .getByRole('link', { name: 'Abgleich' })
        .click();
      await page.getByRole('button', { name: 'Jetzt abgleichen' }).waitFor();
    });
  });
}
