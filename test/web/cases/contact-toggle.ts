import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { ApiWorld } from '../../api/support/api-world.js';
import { openWithMuellerSoehne } from '../support/mueller-world.js';
import { checkStep } from '../support/page-checks.js';
import { browserSession } from '../support/session-hooks.js';

export function contactToggleCases(browser: () => Browser): void {
  describe('the contact view (S2)', () => {
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

    it('adds a contact to the groupware and removes it again after asking, showing the state each time', async () => {
      const { session, page } = browsing;
      await session.goto('#/');
      await page
        .getByRole('navigation', { name: 'Hauptmenü' })
        .getByRole('link', { name: 'Ansprechpartner' })
        .click();
      await page.getByRole('textbox', { name: 'Name' }).fill('Adler');
      await page.getByRole('button', { name: 'Suchen' }).click();
      await page.getByText('1 Ansprechpartner gefunden').waitFor();
      await checkStep(page, 'contacts-search');
      await page.getByRole('link', { name: 'Kim Adler' }).click();

      await page.getByRole('heading', { level: 1, name: 'Kim Adler' }).waitFor();
      await page.getByText('Dieser Ansprechpartner wird nicht mit der Groupware abgeglichen.').waitFor();
      await checkStep(page, 'contact-not-synchronised');
      await page.getByRole('button', { name: 'Ansprechpartner in die Groupware übernehmen' }).click();
      await page.getByText('Der Ansprechpartner wurde in die Groupware übernommen').waitFor();
      await page.getByText('Dieser Ansprechpartner wird mit der Groupware abgeglichen.').waitFor();
      expect(api.world.cardFiles()).to.have.length(1);
      expect(api.world.readCard(api.world.cardFiles()[0]!)).to.contain(`X-CRMSYNC-ID:${adler}`);

      await page.getByRole('button', { name: 'Ansprechpartner in der Groupware löschen' }).click();
      const question = page.getByRole('alertdialog', { name: 'Aus der Groupware löschen?' });
      await question.waitFor();
      await checkStep(page, 'contact-remove-question');
      await question.getByRole('button', { name: 'Löschen' }).click();
      await page.getByText('Der Ansprechpartner wurde aus der Groupware gelöscht').waitFor();
      await page.getByText('Dieser Ansprechpartner wird nicht mit der Groupware abgeglichen.').waitFor();
      await checkStep(page, 'contact-removed');
      expect(api.world.cardFiles()).to.have.length(0);
      const inCrm = (await api.world.crmContacts()).find((contact) => contact.ids.crmId === adler);
      expect(inCrm?.groupwareSync).to.equal(false);
    });

    it('keeps the contact in the groupware when the question is answered with Abbrechen', async () => {
      const { page } = browsing;
      await page.getByRole('button', { name: 'Ansprechpartner in die Groupware übernehmen' }).click();
      await page.getByText('Dieser Ansprechpartner wird mit der Groupware abgeglichen.').waitFor();
      await page.getByRole('button', { name: 'Ansprechpartner in der Groupware löschen' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Abbrechen' }).click();
      await page.getByRole('alertdialog').waitFor({ state: 'hidden' });
      expect(api.world.cardFiles()).to.have.length(1);
      await page.getByText('Dieser Ansprechpartner wird mit der Groupware abgeglichen.').waitFor();
    });
  });
}
