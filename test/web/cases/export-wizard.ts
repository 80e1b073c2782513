import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { ApiWorld } from '../../api/support/api-world.js';
import { openWithMuellerSoehne } from '../support/mueller-world.js';
import { checkStep, expectAccessible } from '../support/page-checks.js';
import { browserSession } from '../support/session-hooks.js';

export function exportWizardCases(browser: () => Browser): void {
  describe('the export wizard (E1–E7)', () => {
    let api: ApiWorld;
    let weiss: string;

    before(async () => {
      api = await openWithMuellerSoehne();
      api.world.addPartner({ id: 'GP-0002', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
      weiss = api.world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Anna',
        lastName: 'Weiß',
        emails: [{ address: 'anna.weiss@mueller-soehne.de', kind: 'work', primary: true }],
      }).id;
      api.world.addCrmContact({ partnerId: 'GP-0001', firstName: 'Jonas', lastName: 'Becker' });
      api.world.addCrmContact({ partnerId: 'GP-0002', firstName: 'Maria', lastName: 'Schmidt' });
    });
    after(async () => api?.close());
    const browsing = browserSession(browser, () => api.host.url);

    const available = () => browsing.page.getByRole('table', { name: 'Verfügbare Datensätze' });
    const selected = () => browsing.page.getByRole('table', { name: 'Ausgewählte Datensätze' });

    /** From the start page's quick-start entry to the assignment table of partner Müller & Söhne. */
    async function searchMuellerSoehne(): Promise<void> {
      const { session, page } = browsing;
      await session.goto('#/');
      await page.getByRole('link', { name: /Ansprechpartner exportieren/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Ansprechpartner exportieren' }).waitFor();
      await page.getByRole('textbox', { name: 'Geschäftspartner (Nummer)' }).fill('GP-0001');
      await page.getByRole('button', { name: 'Suchen und bearbeiten' }).click();
      await page.getByRole('heading', { name: 'Zuordnungstabelle' }).waitFor();
    }

    it('finds contacts, moves them between the lists by button, double click and Enter, and exports them to the groupware', async () => {
      const { session, page } = browsing;
      await session.goto('#/');
      await expectAccessible(page, 'the start page');
      await page.getByRole('link', { name: /Ansprechpartner exportieren/ }).click();
      await checkStep(page, 'export-1-search');

      // The magnifier finds the business partner and fills in its number.
      await page.getByRole('button', { name: 'Geschäftspartner suchen' }).click();
      const dialog = page.getByRole('dialog', { name: 'Geschäftspartner suchen' });
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Müller');
      await dialog.getByRole('button', { name: 'Suchen' }).click();
      await dialog.getByRole('button', { name: 'Müller & Söhne GmbH übernehmen' }).waitFor();
      await checkStep(page, 'export-1-partner-dialog');
      await dialog.getByRole('button', { name: 'Müller & Söhne GmbH übernehmen' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await page.getByRole('textbox', { name: 'Geschäftspartner (Nummer)' }).inputValue()).to.equal(
        'GP-0001',
      );

      await page.getByRole('button', { name: 'Suchen und bearbeiten' }).click();
      await page.getByRole('heading', { name: 'Zuordnungstabelle' }).waitFor();
      await page.getByText('2 Ansprechpartner gefunden').waitFor();
      expect(await available().getByRole('row').count()).to.equal(3);
      await checkStep(page, 'export-2-assignment');

      await available().getByRole('checkbox', { name: 'Anna Weiß markieren' }).check();
      await page.getByRole('button', { name: 'Markierte hinzufügen' }).click();
      await selected().getByRole('checkbox', { name: 'Anna Weiß markieren' }).waitFor();
      await available()
        .getByRole('row', { name: /Jonas Becker/ })
        .dblclick();
      await selected().getByRole('checkbox', { name: 'Jonas Becker markieren' }).waitFor();
      await selected().getByRole('checkbox', { name: 'Jonas Becker markieren' }).press('Enter');
      await available().getByRole('checkbox', { name: 'Jonas Becker markieren' }).waitFor();
      expect(await page.getByRole('heading', { name: /Ausgewählte Datensätze \(1\)/ }).count()).to.equal(1);

      await page.getByRole('button', { name: 'Speichern' }).click();
      const options = page.getByRole('dialog', { name: 'Export-Optionen' });
      await options.waitFor();
      expect(
        await options.getByRole('radio', { name: /In die Groupware \(vCard-Ordner\)/ }).isChecked(),
      ).to.equal(true);
      await checkStep(page, 'export-3-options');
      const progress = await session.hold('**/api/v1/jobs/*/events');
      await options.getByRole('button', { name: 'Exportieren' }).click();
      await page.getByRole('heading', { name: 'Export läuft …' }).waitFor();
      await checkStep(page, 'export-4-running');
      await progress.release();

      await page.getByRole('heading', { name: 'Export abgeschlossen' }).waitFor();
      await page.getByText('1 Ansprechpartner exportiert.').first().waitFor();
      await checkStep(page, 'export-5-result');
      const cards = api.world.cardFiles();
      expect(cards).to.have.length(1);
      expect(api.world.readCard(cards[0]!)).to.contain(`X-CRMSYNC-ID:${weiss}`);
    });

    it('shows a contact exported before in the selected list, marked as exported (E4)', async () => {
      await searchMuellerSoehne();
      const row = selected().getByRole('row', { name: /Anna Weiß/ });
      await row.waitFor();
      expect(await row.getByText('bereits exportiert').count()).to.equal(1);
      expect(
        await available()
          .getByRole('row', { name: /Jonas Becker/ })
          .count(),
      ).to.equal(1);
    });

    it('downloads the vCard file of the chosen contacts and leaves the groupware as it was', async () => {
      const { page } = browsing;
      const before = api.world.cardFiles().map((name) => api.world.readCard(name));
      await searchMuellerSoehne();
      await page.getByRole('button', { name: 'Alle hinzufügen' }).click();
      await page.getByRole('heading', { name: /Ausgewählte Datensätze \(2\)/ }).waitFor();
      await page.getByRole('button', { name: 'Speichern' }).click();
      const options = page.getByRole('dialog', { name: 'Export-Optionen' });
      await options.getByRole('radio', { name: /vCard \(alle Kontakte in einer Datei\)/ }).check();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        options.getByRole('button', { name: 'Exportieren' }).click(),
      ]);
      const file = readFileSync((await download.path())!, 'utf8');
      expect(download.suggestedFilename()).to.match(/\.vcf$/);
      expect(file.match(/BEGIN:VCARD/g)).to.have.length(2);
      expect(file).to.contain(`X-CRMSYNC-ID:${weiss}`);
      await page.getByText(`Die Datei „${download.suggestedFilename()}“ wurde heruntergeladen.`).waitFor();
      await page.getByText('2 Ansprechpartner exportiert.').first().waitFor();
      expect(api.world.cardFiles().map((name) => api.world.readCard(name))).to.deep.equal(before);
    });

    it('ends with nothing changed when the user cancels in the export options', async () => {
      const { page } = browsing;
      const before = api.world.cardFiles().map((name) => api.world.readCard(name));
      await searchMuellerSoehne();
      await page.getByRole('button', { name: 'Alle hinzufügen' }).click();
      await page.getByRole('heading', { name: /Ausgewählte Datensätze \(2\)/ }).waitFor();
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page
        .getByRole('dialog', { name: 'Export-Optionen' })
        .getByRole('button', { name: 'Abbrechen' })
        .click();
      await page.getByText('Der Export wurde abgebrochen. Es wurde nichts geändert.').waitFor();
      await checkStep(page, 'export-cancelled');
      expect(api.world.cardFiles().map((name) => api.world.readCard(name))).to.deep.equal(before);
    });

    it('shows an error where it happened when the CRM does not answer, and keeps the search to try again', async () => {
      const { session, page } = browsing;
      session.allowConsoleError(/status of 502/);
      await session.goto('#/export');
      const crm = api.world.crmServer;
      const down = await session.hold('**/api/v1/export-plans');
      await page.getByRole('button', { name: 'Suchen und bearbeiten' }).click();
      // The CRM goes away while the search is on its way.
      await crm.close();
      await down.release();
      const alert = page.getByRole('alert');
      await alert.getByText('Das CRM antwortet nicht. Versuchen Sie es später erneut.').waitFor();
      expect(await alert.textContent()).to.contain('CRMSYNC_ERR_CRM_UNREACHABLE');
      expect(await page.getByRole('button', { name: 'Suchen und bearbeiten' }).isEnabled()).to.equal(true);
      await checkStep(page, 'export-error');
    });
  });
}
