import { readFake1000, readFebrl } from '../../../bench/dedupe/datasets.js';
import { germanCrmContacts, incomingContacts } from '../../../bench/dedupe/german-crm.js';
import type { Contact } from '../../../core/index.js';
import { describeDedupeRuleConformance } from '../../../test/support/dedupe-rule-conformance.js';
import { fixture } from '../../../test/support/paths.js';
import { PossiblePersonRule, SureEmailRule, SureSurnameMobileRule } from '../src/index.js';
import { person } from './support/people.js';

/**
 * Duplicates of many kinds: FEBRL's corrupted copies (typos, swapped and missing names and
 * dates), fake_1000's, CRM contacts typed in again with other spellings of e-mail and mobile
 * number, and the manual's examples; with the people around them that are somebody else.
 */
function sample(): Contact[] {
  const febrl = [
    ...readFebrl(fixture('dedupe', 'febrl', 'dataset4a.csv')).slice(0, 50),
    ...readFebrl(fixture('dedupe', 'febrl', 'dataset4b.csv')).filter((record) => Number(record.entity) < 400),
  ].slice(0, 100);
  const fake = readFake1000(fixture('dedupe', 'splink-fake-1000', 'fake_1000.csv')).slice(0, 80);
  const crm = germanCrmContacts(60, 42);
  const typedAgain = incomingContacts(crm, 40, 0.6).contacts;
  const manual = [
    person({
      givenName: 'Jürgen',
      surname: 'Müller',
      mobile: '+49 171 9876543',
      emails: ['j.mueller@firma.de'],
    }),
    person({
      givenName: 'J.',
      surname: 'MUELLER',
      mobile: '0049-171-98 76 543',
      emails: [' J.Mueller@Firma.DE '],
    }),
    person({ givenName: 'Petra', surname: 'Strauß', mobile: '0171/1234567', emails: ['info@strauss.de'] }),
    person({
      givenName: 'Petra',
      surname: 'Strauss',
      mobile: '+49 171 1234567',
      emails: ['info@strauss.de'],
    }),
    person({ givenName: 'Becker', surname: 'Johannes', birthday: '1970-03-12', postalCode: '50674' }),
    person({ givenName: 'Hans', surname: 'Becker', birthday: '1970-03-12', street: 'Lindenstr. 4' }),
  ];
  return [
    ...febrl.map((record) => record.contact),
    ...fake.map((record) => record.contact),
    ...crm,
    ...typedAgain,
    ...manual,
  ];
}

describeDedupeRuleConformance('The sure-email rule', () => new SureEmailRule(), sample);
describeDedupeRuleConformance('The sure-surname-mobile rule', () => new SureSurnameMobileRule(), sample);
describeDedupeRuleConformance('The possible-person rule', () => new PossiblePersonRule(), sample);
