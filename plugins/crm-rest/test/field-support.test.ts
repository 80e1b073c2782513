import { expect } from 'chai';
import { CrmRestConnector } from '../src/index.js';
import { readProfile, referenceProfileFile } from './support/profiles.js';

function connectorWith(change: (profile: ReturnType<typeof readProfile>) => void = () => {}) {
  const profile = readProfile(referenceProfileFile);
  change(profile);
  return new CrmRestConnector({ profile, profileFile: referenceProfileFile });
}

describe('crm-rest field support, as the profile maps the CRM', () => {
  it('holds the mapped writable fields, one phone per slot type, two address slots and any number of e-mails', () => {
    const support = connectorWith().fieldSupport;
    expect(support.scalars).to.deep.equal([
      'salutation',
      'title',
      'givenName',
      'surname',
      'department',
      'jobTitle',
      'partnerId',
      'birthday',
      'notes',
      'website',
      'groupwareSync',
    ]);
    expect(support.emails).to.equal(Number.POSITIVE_INFINITY);
    expect(support.phones).to.deep.equal({ business: 1, mobile: 1, home: 1, businessFax: 1 });
    expect(support.addresses).to.deep.equal({ business: 1, home: 1 });
    expect(support.addressParts).to.deep.equal(['street', 'postalCode', 'city', 'country']);
    expect(support.categories).to.equal(false);
    expect(support.photo).to.equal(true);
  });

  it('cannot hold the company the CRM takes from the business partner, nor anything listed under ignore', () => {
    const support = connectorWith((profile) => {
      profile.contact.ignore = [...(profile.contact.ignore ?? []), 'website', 'phones', 'addresses.city'];
    }).fieldSupport;
    expect(support.scalars).to.not.include('company');
    expect(support.scalars).to.not.include('website');
    expect(support.scalars).to.not.include('nickname');
    expect(support.phones).to.deep.equal({});
    expect(support.addressParts).to.not.include('city');
  });

  it('counts e-mail slots, typed phone lists and a missing photo endpoint as the profile declares them', () => {
    const support = connectorWith((profile) => {
      profile.contact.sample.mail = { dienst: 'a@example.de', privat: 'b@example.de' };
      profile.contact.sample.telefone = [{ nummer: '0221 123456', art: 'G' }];
      profile.contact.emails = {
        slots: [
          { path: '/mail/dienst', type: 'work' },
          { path: '/mail/privat', type: 'home' },
        ],
      };
      profile.contact.phones = {
        list: '/telefone',
        value: '/nummer',
        type: { path: '/art', values: { G: 'business', M: 'mobile' } },
      };
      delete profile.endpoints.photo;
    }).fieldSupport;
    expect(support.emails).to.equal(2);
    expect(support.phones).to.deep.equal({
      business: Number.POSITIVE_INFINITY,
      mobile: Number.POSITIVE_INFINITY,
    });
    expect(support.photo).to.equal(false);
  });
});
