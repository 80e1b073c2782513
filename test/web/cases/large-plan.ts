import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { seedDemoData } from '../../../emulators/crm/index.js';
import { ApiWorld } from '../../api/support/api-world.js';
import { checkStep } from '../support/page-checks.js';
import { browserSession } from '../support/session-hooks.js';

export function largePlanCases(browser: () => Browser): void {
  describe('a plan of 10,000 contacts', () => {
    let api: ApiWorld;

    before(async () => {
      // The plan is answered at once, still building, as a plan this large is on a busy host.
      api = await ApiWorld.open('vcard', { planAnswerMs: 0 });
      seedDemoData(api.world.crmServer.store, { seed: 12, partners: 100, contacts: 10_000, photoEvery: 0 });
    });
    after(async () => api?.close());
    const browsing = browserSession(browser, () => api.host.url);

    it('shows the progress of the search while the plan is built, then the table a page at a time, and moves all 10,000 at once', async () => {
      const { session, page } = browsing;
      await session.goto('#/export');
      // The built plan's answer waits until the progress it ended with has been looked at.
      const built = await session.hold('**/api/v1/plans/*');
      const [opened] = await Promise.all([
        page.waitForResponse((answer) => answer.url().endsWith('/api/v1/export-plans')),
        page.getByRole('button', { name: 'Suchen und bearbeiten' }).click(),
      ]);
      expect(opened.status()).to.equal(202);
      expect(((await opened.json()) as { plan: { status: string } }).plan.status).to.equal('building');
      const progress = page.getByRole('progressbar', { name: 'Gefundene Ansprechpartner geprüft' });
      await page.getByText('10.000 von 10.000').waitFor({ timeout: 50_000 });
      expect(await progress.getAttribute('value')).to.equal('10000');
      expect(await progress.getAttribute('max')).to.equal('10000');
      await checkStep(page, 'export-1-building');
      await built.release();
      await page.getByText('10.000 Ansprechpartner gefunden').waitFor({ timeout: 50_000 });
      const available = page.getByRole('table', { name: 'Verfügbare Datensätze' });
      await available.getByRole('row').nth(25).waitFor();
      expect(await available.getByRole('row').count()).to.equal(26);
      const pager = page.getByRole('navigation', { name: 'Verfügbare Datensätze: Seiten' });
      expect(await pager.textContent()).to.contain('Seite 1 von 400');
      await pager.getByRole('button', { name: 'Letzte Seite' }).click();
      await pager.getByText('Seite 400 von 400').waitFor();
      await checkStep(page, 'export-2-assignment-10000');

      await page.getByRole('button', { name: 'Alle hinzufügen' }).click();
      await page.getByRole('heading', { name: /Ausgewählte Datensätze \(10\.000\)/ }).waitFor();
      const chosen = page.getByRole('table', { name: 'Ausgewählte Datensätze' });
      await chosen.getByRole('row').nth(25).waitFor();
      expect(await chosen.getByRole('row').count()).to.equal(26);
      expect(await available.getByText('Keine Datensätze').count()).to.equal(1);
    });
  });
}
