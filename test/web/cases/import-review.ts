import { expect } from 'chai';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ApiWorld } from '../../api/support/api-world.js';
import { openWithMuellerSoehne } from '../support/mueller-world.js';
import { browserSession } from '../support/session-hooks.js';

export function importReviewCases(browser: () => Browser): void {
  describe('the import wizard’s table as a user reads it (I5–I7)', () => {
    let api: ApiWorld;

    before(async () => {
      api = await openWithMuellerSoehne();
      api.world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Anna',
        lastName: 'Weiß',
        emails: [{ address: 'anna.weiss@mueller-soehne.de', kind: 'work' }],
      });
      api.world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Katharina',
        lastName: 'Schneider',
        birthday: '1980-04-12',
        address: { street: 'Hohe Straße 12', postalCode: '50667', city: 'Köln' },
        emails: [{ address: 'k.schneider@mueller-soehne.de', kind: 'work' }],
      });
      // The same e-mail address: a sure duplicate.
      api.world.writeCard(
        'weiss.vcf',
        'N:Weiss;Anna;;;',
        'FN:Anna Weiss',
        'EMAIL;TYPE=WORK:anna.weiss@mueller-soehne.de',
      );
      // The surname mistyped, with the same birthday and address: maybe the same person.
      api.world.writeCard(
        'schnieder.vcf',
        'N:Schnieder;Katharina;;;',
        'FN:Katharina Schnieder',
        'BDAY:1980-04-12',
        'ADR;TYPE=WORK:;;Hohe Straße 12;Köln;;50667;',
        'EMAIL;TYPE=WORK:kathi@mueller-soehne.de',
      );
      // A domain no business partner has: no partner is suggested.
      api.world.writeCard('berg.vcf', 'N:Berg;Ole;;;', 'FN:Ole Berg', 'EMAIL;TYPE=WORK:ole@berg-bau.example');
    });
    after(async () => api?.close());
    const browsing = browserSession(browser, () => api.host.url);

    const table = () => browsing.page.getByRole('table', { name: 'Zu importierende Kontakte' });

    async function readGroupware(): Promise<void> {
      const { session, page } = browsing;
      await session.goto('#/import');
      await page.getByRole('button', { name: /Kontakte aus der Groupware lesen/ }).click();
      await page.getByRole('heading', { name: /3 Kontakte können importiert werden/ }).waitFor();
    }

    it('marks a contact whose name is mistyped but whose birthday and address match as a possible duplicate, and says why', async () => {
      const { page } = browsing;
      await readGroupware();
      const row = table().getByRole('row', { name: /Katharina Schnieder/ });
      const badge = row.getByRole('button', { name: 'Mögliche Dublette' });
      await badge.waitFor();
      expect(await row.getByText('Sichere Dublette').count()).to.equal(0);
      await badge.focus();
      const tip = page.getByRole('tooltip').filter({ hasText: 'Gefunden im CRM' });
      await tip.waitFor();
      const findings = (await tip.textContent()) ?? '';
      expect(findings).to.contain('Der Kontakt ist möglicherweise im CRM vorhanden.');
      expect(findings).to.contain('Katharina Schneider');
      expect(findings).to.contain('Möglicherweise dieselbe Person');
      expect(findings).to.contain('Nachname: Schnieder / Schneider');
      // A possible duplicate is the user's call: its box can be ticked.
      expect(
        await row.getByRole('checkbox', { name: 'Katharina Schnieder importieren' }).isEnabled(),
      ).to.equal(true);
      // The other cards are no possible duplicates.
      expect(await table().getByRole('button', { name: 'Mögliche Dublette' }).count()).to.equal(1);
      expect(
        await table()
          .getByRole('row', { name: /Ole Berg/ })
          .getByText('Keine Dublette')
          .count(),
      ).to.equal(1);
    });

    it('shows a duplicate’s findings while the pointer rests on its badge, and hides them when it leaves', async () => {
      const { page } = browsing;
      await readGroupware();
      const badge = table()
        .getByRole('row', { name: /Anna Weiss/ })
        .getByRole('button', { name: 'Sichere Dublette' });
      const tip = page.getByRole('tooltip').filter({ hasText: 'Gefunden im CRM' });
      await page.mouse.move(0, 0);
      await tip.waitFor({ state: 'hidden' });
      await badge.hover();
      await tip.waitFor();
      expect(await tip.textContent()).to.contain('Gleiche E-Mail-Adresse');
      expect(await hasFocus(badge)).to.equal(false);
      await page.mouse.move(0, 0);
      await tip.waitFor({ state: 'hidden' });
    });

    it('tells why a contact without a business partner cannot be ticked, on screen and to a screen reader', async () => {
      const { page } = browsing;
      await readGroupware();
      const row = table().getByRole('row', { name: /Ole Berg/ });
      const box = row.getByRole('checkbox', { name: 'Ole Berg importieren' });
      expect(await box.isDisabled()).to.equal(true);
      expect(await box.isChecked()).to.equal(false);
      await row.getByText('Erst einen Geschäftspartner zuordnen').waitFor();
      expect(await checkboxDescription(page, 'Ole Berg importieren')).to.equal(
        'Erst einen Geschäftspartner zuordnen',
      );
    });
  });
}

// Functions run in the page reach its globals through the element they are given: these
// files compile for Node, without the DOM's type library.

const hasFocus = (control: Locator) =>
  control.evaluate((element) => element === element.ownerDocument.activeElement);

/** The description Chromium's accessibility tree gives the check box so named: what a screen reader says after its name. */
async function checkboxDescription(page: Page, name: string): Promise<string | undefined> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { role?: { value?: unknown }; name?: { value?: unknown }; description?: { value?: unknown } }[];
    };
    const found = nodes.filter((node) => node.role?.value === 'checkbox' && node.name?.value === name);
    if (found.length !== 1) throw new Error(`${found.length} check boxes are named "${name}"`);
    const description = found[0]!.description?.value;
    return typeof description === 'string' ? description : undefined;
  } finally {
    await cdp.detach();
  }
}
