import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ApiWorld } from '../../api/support/api-world.js';
import { widths } from '../support/page-checks.js';
import { browserSession } from '../support/session-hooks.js';

/** The narrowest width the client must work at, as the screenshots are taken. */
const narrow = { width: Math.min(...widths), height: 900 };

export function narrowWindowCases(browser: () => Browser): void {
  describe(`a window ${narrow.width} pixels wide`, () => {
    let api: ApiWorld;
    let weiss: string;

    before(async () => {
      api = await ApiWorld.open();
      // Long names, addresses and e-mail addresses, as real records have them.
      api.world.addPartner({
        id: 'GP-0001',
        name: 'Müller & Söhne Anlagenbau und Instandhaltung GmbH & Co. KG',
        emailDomains: ['mueller-soehne-anlagenbau.de'],
      });
      weiss = api.world.addCrmContact({
        partnerId: 'GP-0001',
        title: 'Dr.',
        firstName: 'Anna-Katharina',
        lastName: 'Weiß-Oberndorfer',
        jobTitle: 'Leiterin Einkauf und Materialwirtschaft',
        address: { street: 'Industriestraße 125–127', postalCode: '50667', city: 'Köln' },
        phones: { business: '0221 123456-789', mobile: '0171 2345678' },
        emails: [
          {
            address: 'anna-katharina.weiss-oberndorfer@mueller-soehne-anlagenbau.de',
            kind: 'work',
            primary: true,
          },
        ],
      }).id;
      api.world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Jonas', lastName: 'Becker' });
      api.world.writeCard(
        'lorenz.vcf',
        'N:Lorenz-Hohenstein;Eva-Maria;;;',
        'FN:Eva-Maria Lorenz-Hohenstein',
        'ORG:Lorenz-Hohenstein Ingenieurgesellschaft für Tragwerksplanung mbH',
        'EMAIL;TYPE=WORK:eva-maria.lorenz-hohenstein@mueller-soehne-anlagenbau.de',
      );
      api.world.writeCard(
        'weiss.vcf',
        'N:Weiss-Oberndorfer;Anna-Katharina;;;',
        'FN:Anna-Katharina Weiss-Oberndorfer',
        'EMAIL;TYPE=WORK:anna-katharina.weiss-oberndorfer@mueller-soehne-anlagenbau.de',
      );
    });
    after(async () => api?.close());
    const browsing = browserSession(browser, () => api.host.url);

    /** A page of the client opened afresh in the narrow window. */
    async function openNarrow(hash: string): Promise<void> {
      await browsing.page.setViewportSize(narrow);
      await browsing.session.goto(hash);
    }

    /** Nothing on the page reaches past the window's right edge: no sideways scrolling. */
    async function expectNoSidewaysScrolling(where: string): Promise<void> {
      const { scrollWidth, clientWidth } = await browsing.page
        .locator('html')
        .evaluate((root) => ({ scrollWidth: root.scrollWidth, clientWidth: root.clientWidth }));
      // Guards against measuring a window wider than the one meant.
      expect(clientWidth).to.be.within(narrow.width - 20, narrow.width);
      expect(
        scrollWidth,
        `${where} is ${scrollWidth} pixels wide in a ${clientWidth}-pixel window`,
      ).to.be.at.most(clientWidth);
    }

    it('shows the start page, the export search and its assignment table without sideways scrolling', async () => {
      const { page } = browsing;
      await openNarrow('#/');
      await expectNoSidewaysScrolling('the start page');
      await page.getByRole('link', { name: /Ansprechpartner exportieren/ }).click();
      await page.getByRole('button', { name: 'Suchen und bearbeiten' }).waitFor();
      await expectNoSidewaysScrolling('the export search');
      await page.getByRole('button', { name: 'Suchen und bearbeiten' }).click();
      await page
        .getByRole('table', { name: 'Verfügbare Datensätze' })
        .getByRole('row', { name: /Weiß-Oberndorfer/ })
        .waitFor();
      await expectNoSidewaysScrolling('the assignment table');
      await page.getByRole('button', { name: 'Alle hinzufügen' }).click();
      await page.getByRole('heading', { name: /Ausgewählte Datensätze \(2\)/ }).waitFor();
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByRole('dialog', { name: 'Export-Optionen' }).waitFor();
      await expectNoSidewaysScrolling('the export options');
    });

    it('shows the import table, with a duplicate’s findings open, without sideways scrolling', async () => {
      const { page } = browsing;
      await openNarrow('#/import');
      await expectNoSidewaysScrolling('the import wizard’s first step');
      await page.getByRole('button', { name: /Kontakte aus der Groupware lesen/ }).click();
      const table = page.getByRole('table', { name: 'Zu importierende Kontakte' });
      await table.getByRole('row', { name: /Lorenz-Hohenstein/ }).waitFor();
      await expectNoSidewaysScrolling('the import table');
      await table.getByRole('button', { name: 'Sichere Dublette' }).focus();
      await page.getByRole('tooltip').filter({ hasText: 'Gefunden im CRM' }).waitFor();
      await expectNoSidewaysScrolling('the import table with a duplicate’s findings');
    });

    it('shows the contact search, a contact and the sync runs without sideways scrolling', async () => {
      const { session, page } = browsing;
      await openNarrow('#/contacts');
      await page.getByRole('textbox', { name: 'Name' }).fill('Weiß');
      await page.getByRole('button', { name: 'Suchen' }).click();
      await page.getByText('1 Ansprechpartner gefunden').waitFor();
      await expectNoSidewaysScrolling('the contact search');
      await page.getByRole('link', { name: /Anna-Katharina Weiß-Oberndorfer/ }).click();
      await page.getByRole('heading', { level: 1, name: /Weiß-Oberndorfer/ }).waitFor();
      await page.getByText(weiss, { exact: true }).waitFor();
      await expectNoSidewaysScrolling('the contact’s page');

      await session.goto('#/sync');
      await page.getByRole('button', { name: 'Jetzt abgleichen' }).click();
      await page.getByText(/Abgleich abgeschlossen/).waitFor();
      await expectNoSidewaysScrolling('the sync run');
      await page.getByRole('link', { name: 'Zurück zu den Abgleichläufen' }).click();
      await page.getByRole('table', { name: 'Letzte Abgleichläufe' }).waitFor();
      await expectNoSidewaysScrolling('the sync runs');
    });
  });
}
