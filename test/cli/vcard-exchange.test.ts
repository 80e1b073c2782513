import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { ContactDoc, CrmServer } from '../../emulators/crm/index.js';
import {
  installationFor,
  partnersOf,
  scratchFolder,
  startCrmWithPartners,
  startSeededCrm,
} from './support/cli-world.js';

function contactsOf(crm: CrmServer): ContactDoc[] {
  return crm.store.searchContacts({}, 0, 10_000).docs.map((doc) => JSON.parse(doc) as ContactDoc);
}

/** What a person compares after the exchange: the name, the partner and the first e-mail. */
function identity(contact: ContactDoc): string {
  return `${contact.firstName ?? ''} ${contact.lastName} | ${contact.partnerId} | ${contact.emails[0]?.address ?? ''}`;
}

describe('crmsync export and import through a vCard file', function () {
  this.timeout(120_000);
  const scratch = scratchFolder();
  let source: CrmServer;
  let target: CrmServer;

  before(async () => {
    source = await startSeededCrm(24, 4);
    target = await startCrmWithPartners(partnersOf(source));
  });
  after(async () => {
    await source?.close();
    await target?.close();
    scratch.cleanUp();
  });

  it('carries every contact from one CRM to another, with partners, photos and no duplicates', async () => {
    const from = installationFor(scratch.path, 'from', source);
    const to = installationFor(scratch.path, 'to', target);
    const file = join(scratch.path, 'exchange.vcf');

    const exported = await from.run('export', '--to', `vcard:${file}`);
    expect(exported.stderr).to.not.contain('crmsync:');
    expect(exported.code, exported.stdout + exported.stderr).to.equal(0);
    expect(exported.stdout).to.contain('Exported 24 of 24');

    const imported = await to.run('import', '--from-other-crm', '--from', `vcard:${file}`);
    expect(imported.code, imported.stdout + imported.stderr).to.equal(0);
    expect(imported.stdout).to.contain('Imported 24 of 24 contacts.');

    const sent = contactsOf(source);
    const arrived = contactsOf(target);
    expect(arrived.map(identity).sort()).to.deep.equal(sent.map(identity).sort());
    const withPhoto = (crm: CrmServer, contacts: ContactDoc[]) =>
      contacts
        .filter((contact) => contact.hasPhoto)
        .map(
          (contact) =>
            `${identity(contact)} ${Buffer.from(crm.store.getPhoto(contact.id)!.bytes).toString('base64')}`,
        )
        .sort();
    expect(withPhoto(source, sent)).to.have.length.greaterThan(0);
    expect(withPhoto(target, arrived)).to.deep.equal(withPhoto(source, sent));

    const again = await to.run('import', '--from-other-crm', '--from', `vcard:${file}`);
    expect(again.code, again.stdout).to.equal(5);
    expect(contactsOf(target)).to.have.length(24);
  });

  it('shows each incoming contact with its verdict, findings and partner as JSON on a dry run', async () => {
    const to = installationFor(scratch.path, 'dry', target);
    const file = join(scratch.path, 'exchange.vcf');
    const result = await to.run(
      'import',
      '--from-other-crm',
      '--from',
      `vcard:${file}`,
      '--dry-run',
      '--json',
    );
    const answer = JSON.parse(result.stdout) as {
      entries: {
        source: { file: string; card: number };
        verdict: string;
        findings: { crmId: string; rule: string; reason: string }[];
        partner: { id: string; reason: string } | null;
        problems: unknown[];
      }[];
    };
    expect(answer.entries).to.have.length(24);
    expect(answer.entries.map((entry) => entry.source.card)).to.deep.equal(
      Array.from({ length: 24 }, (_, at) => at + 1),
    );
    expect(answer.entries.every((entry) => entry.source.file === 'exchange.vcf')).to.equal(true);
    // Everyone arrived in the first test, so each is now a sure duplicate of the contact imported then.
    const crmIds = new Set(contactsOf(target).map((contact) => contact.id));
    for (const entry of answer.entries) {
      expect(entry.verdict).to.equal('sure');
      expect(entry.findings.length).to.be.greaterThan(0);
      for (const finding of entry.findings) {
        expect(crmIds.has(finding.crmId)).to.equal(true);
        expect(finding.rule).to.be.a('string').and.not.empty;
        expect(finding.reason).to.be.a('string').and.not.empty;
      }
      expect(entry.problems).to.deep.equal([]);
    }
    expect(result.code).to.equal(5);
  });

  it('imports the readable cards of a broken file and names the problem of each broken card', async () => {
    const to = installationFor(scratch.path, 'broken', await startCrmWithPartners(partnersOf(source)));
    try {
      const cards = readFileSync(join(scratch.path, 'exchange.vcf'), 'utf8').split(/(?<=END:VCARD\r?\n)/);
      const broken = [
        cards[0],
        'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kaputt;Karl\r\n',
        cards[1],
        'BEGIN:VCARD\r\nnot a line\r\nEND:VCARD\r\n',
        cards[2],
      ];
      const file = join(scratch.path, 'broken.vcf');
      writeFileSync(file, broken.join(''));
      const dry = await to.run(
        'import',
        '--from-other-crm',
        '--from',
        `vcard:${file}`,
        '--dry-run',
        '--json',
      );
      const entries = (
        JSON.parse(dry.stdout) as {
          entries: {
            source: { card: number };
            verdict: string | null;
            problems: { line?: number; card?: number }[];
          }[];
        }
      ).entries;
      const unreadable = entries.filter((entry) => entry.problems.length > 0);
      expect(unreadable.length, dry.stdout).to.be.greaterThan(0);
      for (const entry of unreadable) expect(entry.problems[0]!.card).to.equal(entry.source.card);

      const result = await to.run('import', '--from-other-crm', '--from', `vcard:${file}`);
      expect(result.code, result.stdout + result.stderr).to.equal(4);
      expect(result.stdout).to.contain('Imported 3 of 3 contacts.');
      expect(result.stdout).to.match(/card \d+: cannot be read: /);
      expect(contactsOf(to.crm)).to.have.length(3);
    } finally {
      await to.crm.close();
    }
  });
});
