import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { ApiWorld } from '../../api/support/api-world.js';
import { openWithMuellerSoehne } from '../support/mueller-world.js';
import { checkStep } from '../support/page-checks.js';
import { browserSession } from '../support/session-hooks.js';

export function accountChoiceCases(browser: () => Browser): void {
  describe('the choice of groupware account on a host with two vCard folders', () => {
    let api: ApiWorld;
    let adler: string;
    let accountIds: string[];

    before(async () => {
      api = await openWithMuellerSoehne({ accounts: 2 });
      adler = api.world.addCrmContact({
        partnerId: 'GP-0001',
        firstName: 'Kim',
        lastName: 'Adler',
        groupwareSync: false,
      }).id;
      const listed = (await api.get('/groupware/accounts')).json().accounts as {
        id: string;
        fallback: boolean;
      }[];
      accountIds = listed.filter((account) => !account.fallback).map((account) => account.id);
    });
    after(async () => api?.close());
    const browsing = browserSession(browser, () => api.host.url);

    it('offers both accounts in the header, the default first, and adds a contact to the one chosen, which it remembers', async () => {
      const { session, page } = browsing;
      const first = api.world.side;
      const second = api.world.side.others[0]!;
      await session.goto('#/');
      const choice = page.getByRole('combobox', { name: 'Konto' });
      await choice.waitFor();
      expect(await choice.inputValue(), 'the default account first').to.equal(accountIds[0]);
      expect(await choice.locator('option').allTextContents()).to.have.length(2);
      await choice.selectOption(accountIds[1]!);
      await checkStep(page, 'account-chosen');

      await session.goto(`#/contacts/${encodeURIComponent(adler)}`);
      await page.getByRole('heading', { level: 1, name: 'Kim Adler' }).waitFor();
      await page.getByRole('button', { name: 'Ansprechpartner in die Groupware übernehmen' }).click();
      await page.getByText('Dieser Ansprechpartner wird mit der Groupware abgeglichen.').waitFor();
      expect(
        second.ids().map((id) => second.crmIdOf(id)),
        'in the chosen folder',
      ).to.deep.equal([adler]);
      expect(first.ids(), 'nothing in the default folder').to.deep.equal([]);

      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Kim Adler' }).waitFor();
      expect(await page.getByRole('combobox', { name: 'Konto' }).inputValue(), 'remembered').to.equal(
        accountIds[1],
      );
      await page.getByText('Dieser Ansprechpartner wird mit der Groupware abgeglichen.').waitFor();
    });
  });
}
