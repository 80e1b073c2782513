import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ApiWorld } from '../../api/support/api-world.js';
import { checkStep } from '../support/page-checks.js';
import { browserSession } from '../support/session-hooks.js';

export function syncStatusCases(browser: () => Browser): void {
  describe('the sync status (S1)', () => {
    let api: ApiWorld;
    const crmIds: string[] = [];

    before(async () => {
      api = await ApiWorld.open();
      api.world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH' });
      for (let n = 0; n < 10; n++)
        crmIds.push(
          api.world.addCrmContact({
            partnerId: 'GP-0001',
            firstName: `Kim${n}`,
            lastName: 'Lange',
            jobTitle: 'Einkauf',
          }).id,
        );
    });
    after(async () => api?.close());
    const browsing = browserSession(browser, () => api.host.url);

    const syncNow = async () => {
      const { session, page } = browsing;
      await session.goto('#/sync');
      await page.getByRole('button', { name: 'Jetzt abgleichen' }).click();
      await page.getByRole('heading', { level: 1, name: /Abgleichlauf vom/ }).waitFor();
    };

    it('runs a sync, lists it with the latest runs, and shows why each contact was synced', async () => {
      const { page } = browsing;
      await syncNow();
      await page.getByText('Abgleich abgeschlossen: 0 im CRM und 10 in der Groupware geschrieben.').waitFor();
      expect(api.world.cardFiles()).to.have.length(10);
      await page.getByRole('link', { name: 'Zurück zu den Abgleichläufen' }).click();
      const runs = page.getByRole('table', { name: 'Letzte Abgleichläufe' });
      await runs.getByRole('cell', { name: 'abgeschlossen' }).waitFor();
      await checkStep(page, 'sync-runs');
    });

    it('shows a conflict with both values side by side, says why a contact was synced, and undoes the run', async () => {
      const { page } = browsing;
      const crmId = crmIds[3]!;
      await api.world.changeCrmContact(crmId, { jobTitle: 'Vertrieb' });
      const groupware = await api.world.groupware();
      const copy = (await groupware.findByCrmId(crmId))!;
      for await (const outcome of groupware.apply([
        {
          kind: 'update',
          key: `web-test-${crmId}`,
          id: copy.ids.groupwareId!,
          expectedVersion: copy.ids.groupwareVersion!,
          contact: { ...copy, jobTitle: 'Marketing' },
        },
      ]))
        if (!outcome.ok) throw new Error(outcome.problem.message);

      await syncNow();
      await page.getByText(/Abgleich abgeschlossen/).waitFor();
      const conflicts = page.getByRole('table', { name: 'Konflikte' });
      const row = conflicts.getByRole('row', { name: /Kim3 Lange/ });
      await row.waitFor();
      const cells = await row.getByRole('cell').allTextContents();
      expect(cells).to.deep.equal(['Kim3 Lange', 'Position', 'Einkauf', 'Vertrieb', 'Marketing', 'CRM']);

      await page.getByRole('textbox', { name: 'CRM-ID eines Ansprechpartners' }).fill(crmId);
      await page.getByRole('button', { name: 'Warum?' }).click();
      await page.getByText('Aktion: aktualisieren · Grund: Konflikt · Ergebnis: erledigt').waitFor();
      await page.getByRole('textbox', { name: 'CRM-ID eines Ansprechpartners' }).fill(crmIds[5]!);
      await page.getByRole('button', { name: 'Warum?' }).click();
      await page.getByText(`Dieser Lauf hat ${crmIds[5]} nicht berührt`).waitFor();
      await checkStep(page, 'sync-run-conflict');

      await page.getByRole('button', { name: 'Rückgängig machen' }).click();
      const question = page.getByRole('alertdialog', { name: 'Abgleichlauf rückgängig machen?' });
      await question.getByRole('button', { name: 'Rückgängig machen' }).click();
      await page.getByText(/Datensätze? zurückgesetzt, 0 inzwischen geändert, 0 fehlgeschlagen/).waitFor();
      await page.getByText('rückgängig gemacht', { exact: true }).waitFor();
      expect((await groupware.findByCrmId(crmId))?.jobTitle).to.equal('Marketing');
    });

    it("asks the mass-deletion guard's question and writes nothing when the run is rejected", async () => {
      const { page } = browsing;
      for (const crmId of crmIds.slice(7)) {
        const copy = await (await api.world.groupware()).findByCrmId(crmId);
        unlinkSync(join(api.world.vcardFolder, copy!.ids.groupwareId!));
      }
      await syncNow();
      await page.getByRole('heading', { name: 'Bestätigung nötig' }).waitFor();
      await page
        .getByText(
          '3 von 10 verknüpften Kontakten (30 %) verschwinden aus der Groupware – mehr als die 10 %, die ohne Bestätigung erlaubt sind.',
        )
        .waitFor();
      await checkStep(page, 'sync-guard-question');
      await page.getByRole('button', { name: 'Nein, verwerfen' }).click();
      await page.getByText(/Der Lauf wurde verworfen; nichts wurde geschrieben/).waitFor();
      const flags = (await api.world.crmContacts()).filter((contact) =>
        crmIds.slice(7).includes(contact.ids.crmId!),
      );
      expect(flags.map((contact) => contact.groupwareSync)).to.deep.equal([true, true, true]);
    });
  });
}
