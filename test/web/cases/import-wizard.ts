import { expect } from 'chai';
import type { Browser, Locator, Page } from 'playwright-core';
import { ApiWorld } from '../../api/support/api-world.js';
import { checkStep, expectAccessible, screenshots } from '../support/page-checks.js';
import { browserSession } from '../support/session-hooks.js';

const card = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');

export function importWizardCases(browser: () => Browser): void {
  describe('the import wizard (I1–I10)', () => {
    let api: ApiWorld;

    before(async () => {
      // Every plan is answered while still building: the wizard follows its job to the plan.
      api = await ApiWorld.open('vcard', { planAnswerMs: 0 });
      api.world.addPartner({
        id: 'GP-0001',
        name: 'Müller & Söhne GmbH',
        emailDomains: ['mueller-soehne.de'],
      });
      api.world.addPartner({ id: 'GP-0002', name: 'Kaiser KG', emailDomains: ['kaiser.de'] });
      api.world.addPartner({ id: 'GP-0003', name: 'Neumann Design', emailDomains: [] });
      api.world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Anna',
        lastName: 'Weiß',
        emails: [{ address: 'anna.weiss@mueller-soehne.de', kind: 'work' }],
      });
    });
    after(async () => api?.close());

    describe('in German, with the mouse', () => {
      const browsing = browserSession(browser, () => api.host.url);

      const readGroupware = async () => {
        const { session, page } = browsing;
        await session.goto('#/');
        await page.getByRole('link', { name: /Ansprechpartner importieren/ }).click();
        await page.getByRole('button', { name: /Kontakte aus der Groupware lesen/ }).click();
      };

      it('says there is nothing to import as information, not as an error (I3)', async () => {
        const { page } = browsing;
        await readGroupware();
        const info = page.getByRole('status').filter({ hasText: 'keine zu importierenden Kontakte' });
        await info.waitFor();
        expect(await page.getByRole('alert').count()).to.equal(0);
        await checkStep(page, 'import-nothing');
      });

      it('lists the contacts, refuses a sure duplicate with its reason, assigns a partner through the search dialog and imports (I4–I8)', async () => {
        const { session, page } = browsing;
        api.world.writeCard(
          'weiss.vcf',
          'N:Weiss;Anna;;;',
          'FN:Anna Weiss',
          'EMAIL;TYPE=WORK:ANNA.WEISS@mueller-soehne.de',
        );
        api.world.writeCard(
          'kaiser.vcf',
          'N:Kaiser;Tom;;;',
          'FN:Tom Kaiser',
          'EMAIL;TYPE=WORK:tom@kaiser.de',
        );
        api.world.writeCard(
          'neumann.vcf',
          'N:Neumann;Lena;;;',
          'FN:Lena Neumann',
          'EMAIL;TYPE=WORK:lena@neumann-design.de',
        );
        api.world.writeCard('berg.vcf', 'N:Berg;Ole;;;', 'FN:Ole Berg', 'EMAIL;TYPE=WORK:ole@berg-bau.de');
        const crmBefore = api.world.crmContactCount();

        await session.goto('#/');
        await page.getByRole('link', { name: /Ansprechpartner importieren/ }).click();
        await page.getByRole('heading', { name: 'Woher kommen die Kontakte?' }).waitFor();
        await checkStep(page, 'import-1-source');
        const [opened] = await Promise.all([
          page.waitForResponse((answer) => answer.url().endsWith('/api/v1/import-plans')),
          page.getByRole('button', { name: /Kontakte aus der Groupware lesen/ }).click(),
        ]);
        expect(opened.status()).to.equal(202);
        await page.getByRole('heading', { name: /4 Kontakte können importiert werden/ }).waitFor();
        await checkStep(page, 'import-2-review');

        const table = page.getByRole('table', { name: 'Zu importierende Kontakte' });
        const duplicate = table.getByRole('checkbox', { name: 'Anna Weiss importieren' });
        expect(await duplicate.isDisabled()).to.equal(true);
        expect(await duplicate.getAttribute('aria-describedby')).to.be.a('string');
        const why = page.locator(`#${await duplicate.getAttribute('aria-describedby')}`);
        expect(await why.textContent()).to.equal('Sichere Dublette – kann nicht importiert werden');

        // The duplicate's findings show while its badge has focus.
        const badge = table
          .getByRole('row', { name: /Anna Weiss/ })
          .getByRole('button', { name: 'Sichere Dublette' });
        await badge.focus();
        const tip = page.getByRole('tooltip').filter({ hasText: 'Gefunden im CRM' });
        await tip.waitFor();
        expect(await tip.textContent()).to.contain('Gleiche E-Mail-Adresse');
        await expectAccessible(page, 'the import table with a duplicate tooltip open');
        await screenshots(page, 'import-2-duplicate-findings');
        await page.keyboard.press('Escape');
        await tip.waitFor({ state: 'hidden' });
        expect(await hasFocus(badge)).to.equal(true);

        expect(await table.getByRole('checkbox', { name: 'Tom Kaiser importieren' }).isChecked()).to.equal(
          true,
        );
        expect(await table.getByRole('row', { name: /Tom Kaiser/ }).textContent()).to.contain('Kaiser KG');
        const lena = table.getByRole('checkbox', { name: 'Lena Neumann importieren' });
        expect(await lena.isDisabled()).to.equal(true);

        await table.getByRole('button', { name: 'Geschäftspartner suchen für Lena Neumann' }).click();
        const dialog = page.getByRole('dialog', { name: 'Geschäftspartner suchen' });
        await dialog.getByRole('textbox', { name: 'Name' }).fill('Neumann');
        await dialog.getByRole('button', { name: 'Suchen' }).click();
        await dialog.getByRole('button', { name: 'Neumann Design zuordnen' }).waitFor();
        await checkStep(page, 'import-2-partner-dialog');
        await dialog.getByRole('button', { name: 'Neumann Design zuordnen' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await table
          .getByRole('row', { name: /Lena Neumann/ })
          .getByText('von Ihnen zugeordnet')
          .waitFor();
        await lena.check();
        await page.getByText('2 Kontakte zum Import markiert').waitFor();

        const progress = await session.hold('**/api/v1/jobs/*/events');
        await page.getByRole('button', { name: 'Ansprechpartner importieren' }).click();
        await page.getByRole('heading', { name: 'Import läuft …' }).waitFor();
        await checkStep(page, 'import-3-running');
        await progress.release();
        await page.getByRole('heading', { name: 'Import abgeschlossen' }).waitFor();
        await page.getByText('2 Ansprechpartner wurden erfolgreich importiert.').waitFor();
        await page.getByText('sichere Dublette: 1').waitFor();
        await page.getByText('kein Geschäftspartner: 1').waitFor();
        await checkStep(page, 'import-4-result');
        expect(api.world.crmContactCount()).to.equal(crmBefore + 2);
        expect(api.world.readCard('neumann.vcf')).to.match(/X-CRMSYNC-ID:/);
        expect(api.world.readCard('berg.vcf')).not.to.match(/X-CRMSYNC-ID:/);
        const imported = (await api.world.crmContacts()).find((contact) => contact.surname === 'Neumann');
        expect(imported?.partnerId).to.equal('GP-0003');
      });

      it('reads an uploaded .vcf file from the file picker and from a drop, and cancels with nothing written', async () => {
        const { session, page } = browsing;
        const file =
          card('N:Lorenz;Eva;;;', 'EMAIL:eva@kaiser.de') + card('N:Vogt;Max;;;', 'EMAIL:max@vogt.example');
        const crmBefore = api.world.crmContactCount();
        await session.goto('#/import');
        await page.getByLabel('vCard-Datei auswählen').setInputFiles({
          name: 'kontakte.vcf',
          mimeType: 'text/vcard',
          buffer: Buffer.from(file),
        });
        await page.getByRole('heading', { name: /2 Kontakte können importiert werden/ }).waitFor();
        await page.getByText('aus der Datei „kontakte.vcf“').waitFor();
        await page.getByRole('button', { name: 'Abbrechen' }).click();
        await page.getByText('Der Import wurde abgebrochen. Es wurde nichts geändert.').waitFor();

        await page.getByRole('button', { name: 'Weitere Kontakte importieren' }).click();
        // What a browser hands the page when a file is dropped on it.
        const drop = await page.locator('html').evaluateHandle(
          (root, text) => {
            const view = root.ownerDocument.defaultView;
            const transfer = new view.DataTransfer();
            transfer.items.add(new view.File([text], 'messe.vcf', { type: 'text/vcard' }));
            return transfer;
          },
          card('N:Ott;Ina;;;', 'EMAIL:ina@kaiser.de'),
        );
        const zone = page.locator('.drop-zone');
        await zone.dispatchEvent('dragenter', { dataTransfer: drop });
        await zone.dispatchEvent('drop', { dataTransfer: drop });
        await page.getByRole('heading', { name: /1 Kontakt kann importiert werden/ }).waitFor();
        await page.getByText('aus der Datei „messe.vcf“').waitFor();
        expect(api.world.crmContactCount()).to.equal(crmBefore);
      });
    });

    describe('in English', () => {
      const browsing = browserSession(browser, () => api.host.url);

      it('runs the same import in English', async () => {
        const { session, page } = browsing;
        api.world.writeCard('hart.vcf', 'N:Hart;Jens;;;', 'FN:Jens Hart', 'EMAIL;TYPE=WORK:jens@kaiser.de');
        api.world.writeCard(
          'weiss-2.vcf',
          'N:Weiß;Anna;;;',
          'FN:Anna Weiß',
          'EMAIL:anna.weiss@mueller-soehne.de',
        );
        await session.goto('#/');
        await page.getByRole('button', { name: 'English' }).click();
        await page.getByRole('heading', { level: 1, name: 'Contact person sync' }).waitFor();
        expect(await page.locator('html').getAttribute('lang')).to.equal('en');
        await page.getByRole('link', { name: /Import contact persons/ }).click();
        await page.getByRole('button', { name: /Read the contacts from the groupware/ }).click();
        await page.getByRole('heading', { name: /contacts? can be imported/ }).waitFor();
        await checkStep(page, 'import-2-review-en');
        const table = page.getByRole('table', { name: 'Contacts to import' });
        const duplicate = table.getByRole('checkbox', { name: 'Import Anna Weiß', exact: true });
        expect(await duplicate.isDisabled()).to.equal(true);
        const why = page.locator(`#${await duplicate.getAttribute('aria-describedby')}`);
        expect(await why.textContent()).to.equal('Sure duplicate – cannot be imported');
        expect(await table.getByRole('checkbox', { name: 'Import Jens Hart' }).isChecked()).to.equal(true);
        expect(await table.getByRole('row', { name: /Jens Hart/ }).textContent()).to.contain(
          'suggested: by e-mail domain',
        );
        await page.getByRole('button', { name: 'Import contact persons' }).click();
        await page.getByText('1 contact person was imported.').waitFor();
        await checkStep(page, 'import-4-result-en');
      });
    });

    describe('by keyboard alone', () => {
      const browsing = browserSession(browser, () => api.host.url);

      it('can be completed with the keyboard alone, focus always visible', async () => {
        const { session, page } = browsing;
        api.world.writeCard('vogt.vcf', 'N:Vogt;Max;;;', 'FN:Max Vogt', 'EMAIL;TYPE=HOME:max.vogt@gmail.com');
        const crmBefore = api.world.crmContactCount();
        await session.goto('#/');
        await tabTo(page, page.getByRole('link', { name: /Ansprechpartner importieren/ }));
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: 'Woher kommen die Kontakte?' }).waitFor();
        await tabTo(page, page.getByRole('button', { name: /Kontakte aus der Groupware lesen/ }));
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: /importiert werden/ }).waitFor();

        const magnifier = page.getByRole('button', { name: 'Geschäftspartner suchen für Max Vogt' });
        await tabTo(page, magnifier);
        await page.keyboard.press('Enter');
        const dialog = page.getByRole('dialog', { name: 'Geschäftspartner suchen' });
        await dialog.waitFor();
        expect(await hasFocus(dialog.getByRole('textbox', { name: 'Name' }))).to.equal(true);
        await page.keyboard.type('Kaiser');
        await page.keyboard.press('Enter');
        const assign = dialog.getByRole('button', { name: 'Kaiser KG zuordnen' });
        await assign.waitFor();
        await tabTo(page, assign);
        await page.keyboard.press('Enter');
        await dialog.waitFor({ state: 'hidden' });
        expect(await hasFocus(magnifier)).to.equal(true);

        await tabTo(page, page.getByRole('checkbox', { name: 'Max Vogt importieren' }), { backwards: true });
        await page.keyboard.press('Space');
        await page.getByText('1 Kontakt zum Import markiert').waitFor();
        await tabTo(page, page.getByRole('button', { name: 'Ansprechpartner importieren' }));
        await page.keyboard.press('Enter');
        await page.getByText('1 Ansprechpartner wurde erfolgreich importiert.').waitFor();
        expect(api.world.crmContactCount()).to.equal(crmBefore + 1);
      });
    });
  });
}

// Functions run in the page reach its globals through the element they are given: these
// files compile for Node, without the DOM's type library.

/** Whether that control has focus now. */
const hasFocus = (control: Locator) =>
  control.evaluate((element) => element === element.ownerDocument.activeElement);

/**
 * Presses Tab (or Shift+Tab) until the control has focus, checking on the way that every
 * control reached shows where the focus is.
 */
async function tabTo(page: Page, control: Locator, options: { backwards?: boolean } = {}): Promise<void> {
  const reached: string[] = [];
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const focused = await page.locator('html').evaluate((root) => {
      const active = root.ownerDocument.activeElement;
      if (!active || active === root.ownerDocument.body) return undefined;
      // A file input is hidden inside the label that looks like its button: the label shows the focus.
      const shown = active.matches('.file-button input') ? active.parentElement! : active;
      const style = root.ownerDocument.defaultView.getComputedStyle(shown);
      const name = `${active.tagName.toLowerCase()} "${(active.getAttribute('aria-label') ?? active.textContent ?? '').trim().slice(0, 40)}"`;
      return { name, outlined: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2 };
    });
    if (!focused) continue;
    reached.push(focused.name);
    if (!focused.outlined) throw new Error(`${focused.name} has focus but shows no outline`);
    if (await hasFocus(control)) return;
  }
  throw new Error(`Tab never reached the control; it went through: ${reached.join(' | ')}`);
}
