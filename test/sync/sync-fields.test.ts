import { expect } from 'chai';
import { everyField, photoHash } from '../../core/index.js';
import { SyncHarness } from './support/sync-harness.js';

const fourAddresses = ['eins', 'zwei', 'drei', 'vier'].map((local) => ({
  address: `${local}@firma.de`,
  type: 'work' as const,
}));

describe('Fields one side cannot hold, and photos', function () {
  this.timeout(60_000);
  let harness: SyncHarness;

  afterEach(async () => harness.close());

  it('keeps a fourth e-mail address in the CRM when the address book holds only three', async () => {
    harness = await SyncHarness.start({ groupwareSupport: { ...everyField, emails: 3 } });
    const anna = await harness.addCrmContact({ emails: fourAddresses });
    const crmId = anna.ids.crmId!;
    await harness.sync();
    expect((await harness.copyOf(crmId))?.emails.map((email) => email.address)).to.deep.equal([
      'eins@firma.de',
      'zwei@firma.de',
      'drei@firma.de',
    ]);

    await harness.changeGroupware(crmId, (contact) => ({ ...contact, jobTitle: 'Vertrieb' }));
    const result = await harness.sync();
    expect(result.written).to.deep.equal({ crm: 1, groupware: 0 });
    const crm = await harness.crm.getContact(crmId);
    expect(crm?.jobTitle).to.equal('Vertrieb');
    expect(crm?.emails.map((email) => email.address)).to.deep.equal(
      fourAddresses.map((email) => email.address),
    );
  });

  it('says a change the address book cannot hold stays in the CRM, and writes nothing', async () => {
    harness = await SyncHarness.start({ groupwareSupport: { ...everyField, emails: 3 } });
    const anna = await harness.addCrmContact({ emails: fourAddresses });
    const crmId = anna.ids.crmId!;
    await harness.sync();
    await harness.changeCrm(crmId, (contact) => ({
      ...contact,
      emails: [...contact.emails.slice(0, 3), { address: 'fuenf@firma.de', type: 'home' }],
    }));
    const result = await harness.sync();
    expect(result.written).to.deep.equal({ crm: 0, groupware: 0 });
    const [item] = (await harness.store.plans.page(result.plan.id, {})).items;
    expect(item?.reason).to.equal('cannot-hold');
    expect((await harness.copyOf(crmId))?.emails).to.have.length(3);
  });

  it('deletes in the CRM an address deleted in the address book, and keeps the fourth', async () => {
    harness = await SyncHarness.start({ groupwareSupport: { ...everyField, emails: 3 } });
    const anna = await harness.addCrmContact({ emails: fourAddresses });
    const crmId = anna.ids.crmId!;
    await harness.sync();
    await harness.changeGroupware(crmId, (contact) => ({
      ...contact,
      emails: contact.emails.filter((email) => email.address !== 'zwei@firma.de'),
    }));
    await harness.sync();
    const crm = await harness.crm.getContact(crmId);
    expect(crm?.emails.map((email) => email.address)).to.deep.equal([
      'eins@firma.de',
      'drei@firma.de',
      'vier@firma.de',
    ]);
  });

  it('carries a photo to the copy and a photo replaced in the address book back to the CRM, by content hash', async () => {
    harness = await SyncHarness.start();
    const first = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const second = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 4, 5, 6, 0xff, 0xd9]);
    const anna = await harness.addCrmContact({ photo: { mediaType: 'image/jpeg', bytes: first } });
    const crmId = anna.ids.crmId!;
    await harness.sync();
    expect((await harness.copyOf(crmId))?.photo?.hash).to.equal(photoHash(first));

    await harness.changeGroupware(crmId, (contact) => ({
      ...contact,
      photo: { mediaType: 'image/jpeg', bytes: second, hash: photoHash(second) },
    }));
    const result = await harness.sync();
    expect(result.written.crm).to.equal(1);
    expect((await harness.crm.getPhoto(crmId))?.hash).to.equal(photoHash(second));
    expect((await harness.sync()).written).to.deep.equal({ crm: 0, groupware: 0 });
  });
});
