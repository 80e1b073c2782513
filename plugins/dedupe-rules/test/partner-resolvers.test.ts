import { expect } from 'chai';
import type { BusinessPartner, CrmPartnerQuery, PartnerDirectory } from '../../../core/index.js';
import { nameKey } from '../../../core/index.js';
import { CompanyNameResolver, EmailDomainResolver } from '../src/index.js';
import { person } from './support/people.js';

/** A CRM's partner search as loose as real ones: names by prefix, domains by substring. */
class Directory implements PartnerDirectory {
  readonly queries: CrmPartnerQuery[] = [];
  constructor(private readonly partners: BusinessPartner[]) {}

  async *searchPartners(query: CrmPartnerQuery): AsyncIterable<BusinessPartner> {
    this.queries.push(query);
    for (const partner of this.partners) {
      if (query.domain && !partner.emailDomains.some((domain) => domain.includes(query.domain!))) continue;
      if (query.name && !nameKey(partner.name).startsWith(nameKey(query.name))) continue;
      yield partner;
    }
  }
}

const partner = (id: string, name: string, emailDomains: string[] = []): BusinessPartner => ({
  id,
  name,
  emailDomains,
});

const directory = () =>
  new Directory([
    partner('P-1', 'Müller Bau GmbH', ['mueller-bau.de']),
    partner('P-2', 'Schmidt & Söhne KG', ['schmidt-soehne.de', 'schmidt.de']),
    partner('P-3', 'Nord Logistik AG', ['logistik.de']),
    partner('P-4', 'Nord Logistik GmbH & Co. KG', ['nord-logistik.de']),
    partner('P-5', 'Freunde des Stadtparks e.V.', []),
    partner('P-6', 'Gmail Fanclub', ['gmail.com']),
  ]);

describe('Partner suggestions by e-mail domain', () => {
  const resolver = new EmailDomainResolver();

  it('suggests the one partner the domain belongs to, and says why', async () => {
    const found = await resolver.resolve(person({ emails: ['Anna@Mueller-Bau.de'] }), directory());
    expect(found.map((one) => one.partner.id)).to.deep.equal(['P-1']);
    expect(found[0]!.reason).to.equal('e-mail domain mueller-bau.de belongs to Müller Bau GmbH');
  });

  it('never suggests a partner for a free-mail address, even one that lists the domain', async () => {
    for (const address of [
      'anna@gmail.com',
      'anna@gmx.de',
      'anna@web.de',
      'anna@t-online.de',
      'anna@outlook.com',
    ]) {
      const shelf = directory();
      expect(await resolver.resolve(person({ emails: [address] }), shelf), address).to.deep.equal([]);
      expect(shelf.queries, address).to.deep.equal([]);
    }
  });

  it('does not take a partner whose domain merely contains the contact’s domain', async () => {
    expect(await resolver.resolve(person({ emails: ['x@schmidt.de'] }), directory())).to.have.length(1);
    expect(await resolver.resolve(person({ emails: ['x@hmidt.de'] }), directory())).to.deep.equal([]);
  });

  it('answers every partner when the contact’s addresses point to two, so none is pre-assigned', async () => {
    const found = await resolver.resolve(
      person({ emails: ['a@mueller-bau.de', 'a@logistik.de'] }),
      directory(),
    );
    expect(found.map((one) => one.partner.id).sort()).to.deep.equal(['P-1', 'P-3']);
  });
});

describe('Partner suggestions by company name', () => {
  const resolver = new CompanyNameResolver();

  const cases: [string, string[]][] = [
    ['Müller Bau GmbH', ['P-1']],
    ['MUELLER BAU', ['P-1']],
    ['Müller Bau GmbH & Co. KG', ['P-1']],
    ['Schmidt & Söhne', ['P-2']],
    ['Freunde des Stadtparks', ['P-5']],
    ['Nord Logistik', ['P-3', 'P-4']],
    ['Müller', []],
    ['GmbH', []],
  ];
  for (const [company, expected] of cases) {
    it(`finds ${expected.length ? expected.join(' and ') : 'no partner'} for "${company}", legal forms ignored`, async () => {
      const found = await resolver.resolve(person({ company }), directory());
      expect(found.map((one) => one.partner.id).sort()).to.deep.equal(expected);
      for (const one of found) expect(one.reason).to.contain(company).and.contain(one.partner.name);
    });
  }

  it('asks nothing for a contact without a company', async () => {
    const shelf = directory();
    expect(await resolver.resolve(person({ surname: 'Ohne' }), shelf)).to.deep.equal([]);
    expect(shelf.queries).to.deep.equal([]);
  });
});
