import { expect } from 'chai';
import type { Contact } from '../../../core/index.js';
import {
  classifyContacts,
  indexEntry,
  MemoryCandidateIndex,
  type NamedRule,
} from '../../../core/pipeline/dedupe/index.js';
import type { DuplicateVerdict } from '../../../core/pipeline/plan.js';
import { PossiblePersonRule, SureEmailRule, SureSurnameMobileRule } from '../src/index.js';
import { person } from './support/people.js';

const shippedRules: NamedRule[] = [
  { id: 'sure-email', rule: new SureEmailRule() },
  { id: 'sure-surname-mobile', rule: new SureSurnameMobileRule() },
  { id: 'possible-person', rule: new PossiblePersonRule() },
];

/** The CRM the manual's examples are checked against. */
const crm = [
  person({ crmId: 'K-1', givenName: 'Anna', surname: 'Schmidt', emails: ['anna.schmidt@firma.de'] }),
  person({ crmId: 'K-2', givenName: 'Jürgen', surname: 'Müller', mobile: '+49 171 9876543' }),
  person({ crmId: 'K-3', givenName: 'Petra', surname: 'Strauß', mobile: '0171/1234567' }),
  person({
    crmId: 'K-4',
    givenName: 'Johannes',
    surname: 'Becker',
    birthday: '1970-03-12',
    street: 'Lindenstraße 4',
    postalCode: '50674',
    city: 'Köln',
  }),
  person({ crmId: 'K-5', givenName: 'Bernd', surname: 'Kaiser', emails: ['info@kaiser-bau.de'] }),
];

async function classify(incoming: Contact): Promise<DuplicateVerdict> {
  const index = new MemoryCandidateIndex();
  await index.upsert(crm.map((contact) => indexEntry(contact, shippedRules)));
  const [verdict] = await classifyContacts([incoming], shippedRules, index);
  return verdict!;
}

interface Example {
  manual: string;
  incoming: Contact;
  verdict: DuplicateVerdict['verdict'];
  crmId?: string;
  ruleId?: string;
  evidence?: Record<string, string>;
}

const examples: Example[] = [
  {
    manual: 'the same e-mail address in other case is a sure duplicate',
    incoming: person({ givenName: 'A.', surname: 'Schmitt', emails: ['ANNA.Schmidt@Firma.DE'] }),
    verdict: 'sure',
    crmId: 'K-1',
    ruleId: 'sure-email',
    evidence: { email: 'anna.schmidt@firma.de' },
  },
  {
    manual: 'the same e-mail address with spaces around it is a sure duplicate',
    incoming: person({ surname: 'Schmidt', emails: ['  anna.schmidt@firma.de '] }),
    verdict: 'sure',
    crmId: 'K-1',
    ruleId: 'sure-email',
  },
  {
    manual: 'Mueller with mobile 0171/9876543 is Müller with +49 171 9876543 for sure',
    incoming: person({ givenName: 'J.', surname: 'Mueller', mobile: '0171/9876543' }),
    verdict: 'sure',
    crmId: 'K-2',
    ruleId: 'sure-surname-mobile',
    evidence: { surname: 'Mueller / Müller', mobile: '+491719876543' },
  },
  {
    manual: 'MÜLLER with mobile 0049-171-98 76 543 is Müller with +49 171 9876543 for sure',
    incoming: person({ surname: 'MÜLLER', mobile: '0049-171-98 76 543' }),
    verdict: 'sure',
    crmId: 'K-2',
    ruleId: 'sure-surname-mobile',
  },
  {
    manual: 'Strauss with mobile +49 171 1234567 is Strauß with 0171/1234567 for sure',
    incoming: person({ givenName: 'P.', surname: 'Strauss', mobile: '+49 171 1234567' }),
    verdict: 'sure',
    crmId: 'K-3',
    ruleId: 'sure-surname-mobile',
  },
  {
    manual: 'the same mobile number under another surname is not sure',
    incoming: person({ givenName: 'Jürgen', surname: 'Schulz', mobile: '0171 9876543' }),
    verdict: 'possible',
    crmId: 'K-2',
    ruleId: 'possible-person',
  },
  {
    manual: 'the same surname with another mobile number is not a duplicate',
    incoming: person({ givenName: 'Klaus', surname: 'Müller', mobile: '0172 5550001' }),
    verdict: 'none',
  },
  {
    manual: 'an office address that colleagues share (info@) proves nothing',
    incoming: person({ givenName: 'Sabine', surname: 'Kaiser', emails: ['info@kaiser-bau.de'] }),
    verdict: 'none',
  },
  {
    manual: 'Hans Becker, born the same day in the same street, is possibly Johannes Becker',
    incoming: person({
      givenName: 'Hans',
      surname: 'Becker',
      birthday: '1970-03-12',
      street: 'Lindenstr. 4',
      postalCode: '50674',
    }),
    verdict: 'possible',
    crmId: 'K-4',
    ruleId: 'possible-person',
  },
  {
    manual: 'given name and surname swapped, same birthday: possibly the same person',
    incoming: person({ givenName: 'Becker', surname: 'Johannes', birthday: '1970-03-12' }),
    verdict: 'possible',
    crmId: 'K-4',
    ruleId: 'possible-person',
  },
  {
    manual: 'a misspelt surname at the same address: possibly the same person',
    incoming: person({ givenName: 'Johannes', surname: 'Bekker', postalCode: '50674', city: 'Koeln' }),
    verdict: 'possible',
    crmId: 'K-4',
    ruleId: 'possible-person',
  },
  {
    manual: 'a first name and nothing else to compare is no duplicate',
    incoming: person({ givenName: 'Johannes' }),
    verdict: 'none',
  },
  {
    manual: 'somebody else entirely is no duplicate',
    incoming: person({
      givenName: 'Greta',
      surname: 'Vogel',
      emails: ['greta@vogel.de'],
      mobile: '0160 1112223',
    }),
    verdict: 'none',
  },
];

describe('The duplicate rules of the manual', () => {
  for (const example of examples) {
    it(example.manual, async () => {
      const verdict = await classify(example.incoming);
      expect(verdict.verdict, JSON.stringify(verdict)).to.equal(example.verdict);
      if (example.verdict === 'none') return expect(verdict.findings).to.deep.equal([]);
      const strongest = verdict.findings[0]!;
      expect(strongest).to.include({ crmId: example.crmId, ruleId: example.ruleId });
      expect(strongest.crmDisplayName).to.be.a('string').and.not.equal('');
      expect(strongest.reason).to.be.a('string').and.not.equal('');
      if (example.evidence) expect(strongest.evidence).to.deep.include(example.evidence);
    });
  }

  it('says for a possible duplicate which values it compared, side by side', async () => {
    const verdict = await classify(person({ givenName: 'Hans', surname: 'Becker', birthday: '1970-03-12' }));
    const finding = verdict.findings.find((one) => one.ruleId === 'possible-person')!;
    expect(finding.evidence).to.deep.include({
      givenName: 'Hans / Johannes',
      surname: 'Becker / Becker',
      birthday: '1970-03-12 / 1970-03-12',
    });
    expect(finding.reason)
      .to.match(/nickname/)
      .and.match(/same birthday/);
  });

  it('reads numbers without a country code in the configured region', async () => {
    const austrian: NamedRule[] = [{ id: 'sure-surname-mobile', rule: new SureSurnameMobileRule('AT') }];
    const index = new MemoryCandidateIndex();
    await index.upsert([
      indexEntry(person({ crmId: 'W-1', surname: 'Huber', mobile: '+43 664 1234567' }), austrian),
    ]);
    const [verdict] = await classifyContacts(
      [person({ surname: 'Huber', mobile: '0664 1234567' })],
      austrian,
      index,
    );
    expect(verdict!.verdict).to.equal('sure');
  });
});
