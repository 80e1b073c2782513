import { expect } from 'chai';
import { toE164 } from '../../../core/index.js';
import { CrmStore, seedDemoData } from '../index.js';
import { sniffImageType } from '../seed/photos.js';
import type { ContactDoc } from '../store/documents.js';

function allContacts(store: CrmStore): ContactDoc[] {
  return store.searchContacts({}, 0, 1_000_000).docs.map((doc) => JSON.parse(doc) as ContactDoc);
}

describe('reference CRM demo data', () => {
  let store: CrmStore;
  let contacts: ContactDoc[];
  before(() => {
    store = new CrmStore(':memory:');
    seedDemoData(store);
    contacts = allContacts(store);
  });
  after(() => store.close());

  it('seeds 50 business partners and 500 contact persons by default', () => {
    expect(store.countPartners()).to.equal(50);
    expect(contacts).to.have.length(500);
    expect(new Set(contacts.map((contact) => contact.partnerId)).size).to.equal(50);
  });

  it('gives the same data for the same seed and other data for another seed', () => {
    const again = new CrmStore(':memory:');
    const other = new CrmStore(':memory:');
    try {
      seedDemoData(again);
      seedDemoData(other, { seed: 1 });
      expect(allContacts(again)).to.deep.equal(contacts);
      expect(allContacts(other).map((contact) => contact.lastName)).to.not.deep.equal(
        contacts.map((contact) => contact.lastName),
      );
    } finally {
      again.close();
      other.close();
    }
  });

  it('has the German particulars real address books have: umlauts, ß, double names and titles', () => {
    const names = contacts.map((contact) => `${contact.firstName} ${contact.lastName}`).join('\n');
    expect(names).to.match(/[äöüÄÖÜ]/);
    expect(names).to.contain('ß');
    expect(
      contacts.some((contact) => contact.lastName.includes('-') || contact.firstName?.includes('-')),
    ).to.equal(true);
    const titles = new Set(contacts.map((contact) => contact.title).filter(Boolean));
    expect([...titles]).to.include.members(['Dr.', 'Prof. Dr.']);
    expect(new Set(contacts.map((contact) => contact.salutationCode))).to.include.members(['H', 'F']);
  });

  it('writes every phone number in a German format that parses to +49', () => {
    const numbers = contacts.flatMap((contact) => Object.values(contact.phones));
    expect(numbers.length).to.be.greaterThan(contacts.length);
    for (const number of numbers) expect(toE164(number!), number).to.match(/^\+49\d{6,}$/);
    expect(numbers.some((number) => number!.startsWith('+49 '))).to.equal(true);
    expect(numbers.some((number) => /^0\d{2,4} \d+-\d+$/.test(number!))).to.equal(true);
  });

  it('gives a few contacts a photo, as valid PNG and JPEG images', () => {
    const withPhoto = contacts.filter((contact) => contact.hasPhoto);
    expect(withPhoto.length).to.be.within(5, 20);
    const types = withPhoto
      .map((contact) => store.getPhoto(contact.id)!)
      .map((photo) => [photo.mediaType, sniffImageType(photo.bytes)]);
    expect(types).to.deep.include(['image/png', 'image/png']);
    expect(types).to.deep.include(['image/jpeg', 'image/jpeg']);
    for (const [declared, sniffed] of types) expect(declared).to.equal(sniffed);
  });

  it('scales to many thousands of contacts with unique e-mail addresses', () => {
    const big = new CrmStore(':memory:');
    try {
      seedDemoData(big, { contacts: 30_000, partners: 200 });
      expect(big.countContacts()).to.equal(30_000);
      const emails = new Set(allContacts(big).map((contact) => contact.emails[0]!.address));
      expect(emails.size).to.equal(30_000);
    } finally {
      big.close();
    }
  });
});
