import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { ContactDoc, CrmServer, PartnerDoc } from '../../emulators/crm/index.js';
import {
  type Installation,
  installationFor,
  scratchFolder,
  startCrmWithPartners,
} from './support/cli-world.js';

interface Entry {
  source: { file: string; card: number };
  name: string | null;
  verdict: 'sure' | 'possible' | 'none' | null;
  findings: { crmId: string; rule: string; reason: string; verdict: string }[];
  partner: { id: string; reason: string } | null;
  selected: boolean;
  problems: unknown[];
}

const partner: PartnerDoc = {
  id: 'P-4711',
  name: 'Becker Bau GmbH',
  emailDomains: ['becker-bau.example'],
  updatedAt: '2024-01-01T00:00:00.000Z',
};

/**
 * Card 1 is Johannes Becker of the CRM with his surname misspelt, born the same day at the
 * same address: possibly him, not surely. Card 2 is somebody new.
 */
const file = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Bekker;Johannes;;;',
  'FN:Johannes Bekker',
  'BDAY:1970-03-12',
  'ADR;TYPE=WORK:;;Lindenstr. 4;Köln;;50674;',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Vogel;Greta;;;',
  'FN:Greta Vogel',
  'EMAIL;TYPE=WORK:greta.vogel@vogel-handel.example',
  'END:VCARD',
  '',
].join('\r\n');

function contactsOf(crm: CrmServer): ContactDoc[] {
  return crm.store.searchContacts({}, 0, 100).docs.map((doc) => JSON.parse(doc) as ContactDoc);
}

const names = (crm: CrmServer) =>
  contactsOf(crm)
    .map((contact) => `${contact.firstName} ${contact.lastName}`)
    .sort();

describe('crmsync import of a possible duplicate', function () {
  this.timeout(120_000);
  const scratch = scratchFolder();
  const path = join(scratch.path, 'messe.vcf');
  let crm: CrmServer;
  let becker: ContactDoc;
  let cli: Installation;

  before(async () => {
    crm = await startCrmWithPartners([partner]);
    becker = crm.store.createContact(
      {
        partnerId: partner.id,
        firstName: 'Johannes',
        lastName: 'Becker',
        birthday: '1970-03-12',
        address: { street: 'Lindenstraße 4', postalCode: '50674', city: 'Köln', country: 'DE' },
        emails: [],
        phones: {},
        groupwareSync: false,
      },
      new Date().toISOString(),
      partner.name,
    );
    writeFileSync(path, file);
    cli = installationFor(scratch.path, 'possible', crm);
  });
  after(async () => {
    await crm?.close();
    scratch.cleanUp();
  });

  /** `crmsync import` of the trade-fair file for the partner, with `flags`. */
  const importFile = (...flags: string[]) =>
    cli.run('import', '--from', `vcard:${path}`, '--partner', partner.id, ...flags);

  const dryRun = async (...flags: string[]) => {
    const result = await importFile(...flags, '--dry-run', '--json');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    return (JSON.parse(result.stdout) as { entries: Entry[] }).entries;
  };

  it('shows the misspelt card as a possible duplicate of the CRM contact, with the finding that says why', async () => {
    const [possible, other, ...rest] = await dryRun();
    expect(rest).to.deep.equal([]);
    expect(possible).to.deep.include({
      source: { file: 'messe.vcf', card: 1 },
      verdict: 'possible',
      selected: false,
      problems: [],
    });
    expect(possible!.findings).to.have.length(1);
    const [finding] = possible!.findings;
    expect(finding).to.include({ crmId: becker.id, rule: 'possible-person', verdict: 'possible' });
    expect(finding!.reason)
      .to.match(/^possibly the same person: /)
      .and.match(/same birthday/);
    expect(possible!.partner).to.deep.include({ id: partner.id });
    expect(other).to.deep.include({ verdict: 'none', findings: [], selected: true });
    expect(names(crm), 'a dry run writes nothing').to.deep.equal(['Johannes Becker']);
  });

  it('ticks the possible duplicate for import only with --include-possible', async () => {
    const [possible] = await dryRun('--include-possible');
    expect(possible).to.deep.include({ verdict: 'possible', selected: true });
  });

  it('leaves the possible duplicate out of an import without --include-possible, and imports the rest', async () => {
    const result = await importFile();
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/card 1: Johannes Bekker — not imported/);
    expect(result.stdout).to.contain(
      `possible by possible-person: crm ${becker.id}, possibly the same person`,
    );
    expect(result.stdout).to.contain('Imported 1 of 1 contacts.');
    expect(names(crm)).to.deep.equal(['Greta Vogel', 'Johannes Becker']);
  });

  it('imports the possible duplicate with --include-possible, and never the one now surely in the CRM', async () => {
    const result = await importFile('--include-possible', '--json');
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    const answer = JSON.parse(result.stdout) as { imported: number; entries: Entry[] };
    expect(answer.imported).to.equal(1);
    expect(answer.entries.map((entry) => [entry.source.card, entry.verdict, entry.selected])).to.deep.equal([
      [1, 'possible', true],
      [2, 'sure', false],
    ]);
    expect(names(crm)).to.deep.equal(['Greta Vogel', 'Johannes Becker', 'Johannes Bekker']);
    const bekker = contactsOf(crm).find((contact) => contact.lastName === 'Bekker')!;
    expect(bekker).to.include({ partnerId: partner.id, birthday: '1970-03-12' });
  });
});
