import { expect } from 'chai';
import type { Browser, Locator } from 'playwright-core';
import type { ApiWorld } from '../../api/support/api-world.js';
import { openWithMuellerSoehne } from '../support/mueller-world.js';
import { browserSession } from '../support/session-hooks.js';

export function exportSearchCases(browser: () => Browser): void {
  describe('the export wizard’s search and its marked rows (E2, E3)', () => {
    let api: ApiWorld;

    before(async () => {
      api = await openWithMuellerSoehne();
      api.world.addPartner({ id: 'GP-0002', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
      api.world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Anna',
        lastName: 'Weiß',
        address: { street: 'Hohe Straße 12', postalCode: '50667', city: 'Köln' },
        emails: [{ address: 'anna.weiss@mueller-soehne.de', kind: 'work', primary: true }],
      });
      api.world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Jonas',
        lastName: 'Becker',
        address: { street: 'Markt 3', postalCode: '53111', city: 'Bonn' },
        emails: [{ address: 'jonas.becker@mueller-soehne.de', kind: 'work', primary: true }],
      });
      // Shares its first letters with Becker: a search by name must not stop at a prefix.
      api.world.addCrmContact({
        partnerId: 'GP-0002',
        firstName: 'Lena',
        lastName: 'Beckmann',
        address: { street: 'Domplatz 1', postalCode: '50667', city: 'Köln' },
        emails: [{ address: 'lena.beckmann@kaiser.de', kind: 'work', primary: true }],
      });
      api.world.addCrmContact({
        partnerId: 'GP-0002',
        firstName: 'Maria',
        lastName: 'Schmidt',
        groupwareSync: false,
        address: { street: 'Ring 7', postalCode: '50670', city: 'Köln' },
        phones: { mobile: '0171 2345678' },
        emails: [{ address: 'maria.schmidt@kaiser.de', kind: 'work', primary: true }],
      });
    });
    after(async () => api?.close());
    const browsing = browserSession(browser, () => api.host.url);

    const available = () => browsing.page.getByRole('table', { name: 'Verfügbare Datensätze' });
    const selected = () => browsing.page.getByRole('table', { name: 'Ausgewählte Datensätze' });

    /** The export wizard's search form filled as given, then "Suchen und bearbeiten"; the test waits for what it finds. */
    async function searchBy(fields: { textboxes?: Record<string, string>; sync?: string }): Promise<void> {
      const { session, page } = browsing;
      await session.goto('#/export');
      for (const [label, value] of Object.entries(fields.textboxes ?? {}))
        await page.getByRole('textbox', { name: label, exact: true }).fill(value);
      if (fields.sync)
        await page
          .getByRole('combobox', { name: 'Abgleich mit der Groupware' })
          .selectOption({ label: fields.sync });
      await page.getByRole('button', { name: 'Suchen und bearbeiten' }).click();
    }

    /** The names a list shows, read from the boxes that mark its rows. */
    async function namesIn(list: Locator): Promise<string[]> {
      const boxes = await list.locator('tbody').getByRole('checkbox').all();
      const names = await Promise.all(boxes.map((box) => box.getAttribute('aria-label')));
      return names.map((name) => (name ?? '').replace(/ markieren$/, '')).sort();
    }

    /** The list shows exactly these names once its page has arrived (it loads after the count). */
    async function expectListed(list: Locator, names: string[]): Promise<void> {
      let shown = await namesIn(list);
      for (let tries = 0; tries < 50 && JSON.stringify(shown) !== JSON.stringify(names); tries++) {
        await browsing.page.waitForTimeout(200);
        shown = await namesIn(list);
      }
      expect(shown).to.deep.equal(names);
    }

    it('finds by name only the contacts so named', async () => {
      await searchBy({ textboxes: { Name: 'Becker' } });
      await browsing.page.getByText('1 Ansprechpartner gefunden').waitFor();
      await expectListed(available(), ['Jonas Becker']);
    });

    it('finds by city the contacts living there, whatever their partner', async () => {
      await searchBy({ textboxes: { Ort: 'Köln' } });
      await browsing.page.getByText('3 Ansprechpartner gefunden').waitFor();
      await expectListed(available(), ['Anna Weiß', 'Lena Beckmann', 'Maria Schmidt']);
    });

    it('finds by e-mail address the one contact that has it', async () => {
      await searchBy({ textboxes: { 'E-Mail': 'lena.beckmann@kaiser.de' } });
      await browsing.page.getByText('1 Ansprechpartner gefunden').waitFor();
      await expectListed(available(), ['Lena Beckmann']);
    });

    it('finds by phone number however it is written', async () => {
      await searchBy({ textboxes: { Telefon: '+49 171 2345678' } });
      await browsing.page.getByText('1 Ansprechpartner gefunden').waitFor();
      await expectListed(available(), ['Maria Schmidt']);
    });

    it('finds by the sync flag only the contacts not synchronised, combined with the city', async () => {
      await searchBy({ textboxes: { Ort: 'Köln' }, sync: 'ausgeschaltet' });
      await browsing.page.getByText('1 Ansprechpartner gefunden').waitFor();
      await expectListed(available(), ['Maria Schmidt']);
    });

    it('says nothing was found when no contact matches, and offers a new search', async () => {
      const { page } = browsing;
      await searchBy({ textboxes: { Name: 'Zimmermann' } });
      await page.getByText('Keine Ansprechpartner gefunden. Ändern Sie die Suchkriterien.').waitFor();
      await page.getByRole('button', { name: 'Neue Suche' }).click();
      expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).to.equal(
        'Zimmermann',
      );
    });

    it('moves several marked rows at once by button, leaving the unmarked ones where they were', async () => {
      const { page } = browsing;
      await searchBy({ textboxes: { Ort: 'Köln' } });
      await page.getByText('3 Ansprechpartner gefunden').waitFor();
      await available().getByRole('checkbox', { name: 'Anna Weiß markieren' }).check();
      await available().getByRole('checkbox', { name: 'Maria Schmidt markieren' }).check();
      await page.getByRole('button', { name: 'Markierte hinzufügen' }).click();
      await page.getByRole('heading', { name: /Ausgewählte Datensätze \(2\)/ }).waitFor();
      await expectListed(selected(), ['Anna Weiß', 'Maria Schmidt']);
      await expectListed(available(), ['Lena Beckmann']);
      // Moved rows arrive unmarked: nothing is moved back by accident.
      expect(await page.getByRole('button', { name: 'Markierte entfernen' }).isDisabled()).to.equal(true);

      await selected().getByRole('checkbox', { name: 'Anna Weiß markieren' }).check();
      await selected().getByRole('checkbox', { name: 'Maria Schmidt markieren' }).check();
      await page.getByRole('button', { name: 'Markierte entfernen' }).click();
      await page.getByRole('heading', { name: /Ausgewählte Datensätze \(0\)/ }).waitFor();
      await expectListed(available(), ['Anna Weiß', 'Lena Beckmann', 'Maria Schmidt']);
      expect(await selected().getByText('Keine Datensätze').count()).to.equal(1);
    });
  });
}
