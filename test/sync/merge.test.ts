import { expect } from 'chai';
import fc from 'fast-check';
import { type Contact, emptyContact, everyField, type FieldSupport } from '../../core/index.js';
import { type ConflictPolicy, heldBy, mergeContact } from '../../core/pipeline/merge/index.js';

/** Outlook as the merge sees it: three e-mail addresses, no categories on the CRM side. */
const outlookLike: FieldSupport = { ...everyField, emails: 3, phones: { business: 2, mobile: 1, home: 1 } };
const crmLike: FieldSupport = {
  ...everyField,
  scalars: everyField.scalars.filter((field) => field !== 'nickname' && field !== 'company'),
  categories: false,
  phones: { business: 1, mobile: 1, home: 1, businessFax: 1 },
  addressParts: ['street', 'postalCode', 'city', 'country'],
};
const support = { crm: crmLike, groupware: everyField };

function contact(change: Partial<Contact> = {}): Contact {
  return {
    ...emptyContact(),
    givenName: 'Anna',
    surname: 'Weiß',
    jobTitle: 'Einkauf',
    emails: [{ address: 'anna@firma.de', type: 'work' }],
    phones: [{ number: '0171 2345678', type: 'mobile' }],
    ...change,
  };
}

function merge(
  baseline: Contact,
  crm: Contact,
  groupware: Contact,
  policy: ConflictPolicy = 'crm-wins',
  sides = support,
) {
  return mergeContact({ baseline, crm, groupware, support: sides, policy });
}

describe('Three-way merge of a linked contact', () => {
  it('changes nothing when neither side changed', () => {
    const result = merge(contact(), contact(), contact());
    expect(result.toCrm).to.deep.equal({});
    expect(result.toGroupware).to.deep.equal({});
    expect(result.conflicts).to.deep.equal([]);
  });

  it('carries a job title changed in the CRM to the groupware', () => {
    const result = merge(contact(), contact({ jobTitle: 'Leitung Einkauf' }), contact());
    expect(result.toGroupware).to.deep.equal({ jobTitle: 'Leitung Einkauf' });
    expect(result.toCrm).to.deep.equal({});
    expect(result.groupware.jobTitle).to.equal('Leitung Einkauf');
    expect(result.baseline.jobTitle).to.equal('Leitung Einkauf');
  });

  it('carries a surname cleared in the groupware to the CRM as a removal', () => {
    const result = merge(contact({ notes: 'alt' }), contact({ notes: 'alt' }), contact());
    expect(result.toCrm).to.deep.equal({ notes: null });
    expect(result.crm).not.to.have.property('notes');
  });

  it('keeps the CRM value of a field both sides changed under crm-wins, with both values recorded', () => {
    const result = merge(contact(), contact({ jobTitle: 'CRM' }), contact({ jobTitle: 'Outlook' }));
    expect(result.conflicts).to.deep.equal([
      { field: 'jobTitle', baseline: 'Einkauf', crm: 'CRM', groupware: 'Outlook', resolvedTo: 'crm' },
    ]);
    expect(result.toGroupware).to.deep.equal({ jobTitle: 'CRM' });
    expect(result.toCrm).to.deep.equal({});
  });

  it('keeps the groupware value under groupware-wins', () => {
    const result = merge(
      contact(),
      contact({ jobTitle: 'CRM' }),
      contact({ jobTitle: 'Outlook' }),
      'groupware-wins',
    );
    expect(result.conflicts[0]!.resolvedTo).to.equal('groupware');
    expect(result.toCrm).to.deep.equal({ jobTitle: 'Outlook' });
  });

  it('keeps the newer value under newest-wins, and the CRM value when neither side says when', () => {
    const older = '2026-01-01T10:00:00Z';
    const newer = '2026-01-02T10:00:00Z';
    const groupwareNewer = merge(
      contact(),
      contact({ jobTitle: 'CRM', updatedAt: older }),
      contact({ jobTitle: 'Outlook', updatedAt: newer }),
      'newest-wins',
    );
    expect(groupwareNewer.toCrm).to.deep.equal({ jobTitle: 'Outlook' });
    const crmNewer = merge(
      contact(),
      contact({ jobTitle: 'CRM', updatedAt: newer }),
      contact({ jobTitle: 'Outlook', updatedAt: older }),
      'newest-wins',
    );
    expect(crmNewer.toGroupware).to.deep.equal({ jobTitle: 'CRM' });
    const undated = merge(
      contact(),
      contact({ jobTitle: 'CRM' }),
      contact({ jobTitle: 'Outlook' }),
      'newest-wins',
    );
    expect(undated.conflicts[0]!.resolvedTo).to.equal('crm');
  });

  it('merges e-mail addresses one by one: one added on each side gives both to both', () => {
    const crmMail = { address: 'anna.privat@web.de', type: 'home' as const };
    const groupwareMail = { address: 'a.weiss@firma.de', type: 'work' as const };
    const result = merge(
      contact(),
      contact({ emails: [...contact().emails, crmMail] }),
      contact({ emails: [...contact().emails, groupwareMail] }),
    );
    expect(result.conflicts).to.deep.equal([]);
    expect(result.crm.emails.map((email) => email.address)).to.have.members([
      'anna@firma.de',
      'anna.privat@web.de',
      'a.weiss@firma.de',
    ]);
    expect(result.groupware.emails).to.have.length(3);
  });

  it('treats an e-mail address in other case as the same address', () => {
    const result = merge(
      contact(),
      contact(),
      contact({ emails: [{ address: 'Anna@Firma.DE', type: 'work' }] }),
    );
    expect(result.toCrm).to.deep.equal({ emails: [{ address: 'Anna@Firma.DE', type: 'work' }] });
    expect(result.crm.emails).to.have.length(1);
  });

  it('treats a mobile number in other formatting as the same number', () => {
    const result = merge(
      contact(),
      contact({ phones: [{ number: '+49 171 2345678', type: 'mobile' }] }),
      contact(),
    );
    expect(result.groupware.phones).to.have.length(1);
    expect(result.groupware.phones[0]!.number).to.equal('+49 171 2345678');
  });

  it('keeps a fourth e-mail address on the CRM that Outlook cannot hold, round trip after round trip', () => {
    const four = ['a@firma.de', 'b@firma.de', 'c@firma.de', 'd@firma.de'].map((address) => ({
      address,
      type: 'work' as const,
    }));
    const sides = { crm: everyField, groupware: outlookLike };
    const exported = merge(contact(), contact({ emails: four }), contact(), 'crm-wins', sides);
    expect(exported.groupware.emails.map((email) => email.address)).to.deep.equal([
      'a@firma.de',
      'b@firma.de',
      'c@firma.de',
    ]);
    expect(exported.cannotHold).to.deep.include({ field: 'emails', side: 'groupware' });
    // Outlook answers with its three; the fourth must neither be deleted in the CRM nor count as a change.
    const roundTrip = merge(
      contact(exported.baseline as Contact),
      exported.crm,
      exported.groupware,
      'crm-wins',
      sides,
    );
    expect(roundTrip.toCrm).to.deep.equal({});
    expect(roundTrip.toGroupware).to.deep.equal({});
    expect(roundTrip.baseline.emails).to.have.length(4);
  });

  it('deletes an e-mail address deleted in Outlook from the CRM too, and keeps the fourth', () => {
    const four = ['a@firma.de', 'b@firma.de', 'c@firma.de', 'd@firma.de'].map((address) => ({
      address,
      type: 'work' as const,
    }));
    const sides = { crm: everyField, groupware: outlookLike };
    const baseline = contact({ emails: four });
    const result = merge(
      baseline,
      contact({ emails: four }),
      contact({ emails: four.slice(0, 3).filter((email) => email.address !== 'b@firma.de') }),
      'crm-wins',
      sides,
    );
    expect(result.crm.emails.map((email) => email.address)).to.deep.equal([
      'a@firma.de',
      'c@firma.de',
      'd@firma.de',
    ]);
    expect(result.groupware.emails.map((email) => email.address)).to.deep.equal([
      'a@firma.de',
      'c@firma.de',
      'd@firma.de',
    ]);
  });

  it('never removes a nickname from the groupware because the CRM cannot hold nicknames', () => {
    const result = merge(contact({ nickname: 'Anni' }), contact(), contact({ nickname: 'Anni' }));
    expect(result.toGroupware).to.deep.equal({});
    const changed = merge(contact({ nickname: 'Anni' }), contact(), contact({ nickname: 'Annchen' }));
    expect(changed.toCrm).to.deep.equal({});
    expect(changed.cannotHold).to.deep.equal([{ field: 'nickname', side: 'crm' }]);
    expect(changed.baseline.nickname).to.equal('Annchen');
  });

  it('keeps a region the CRM cannot hold while the city changes in the CRM', () => {
    const address = { type: 'business' as const, street: 'Hohe Straße 1', city: 'Köln', region: 'NRW' };
    const result = merge(
      contact({ addresses: [address] }),
      contact({ addresses: [{ type: 'business', street: 'Hohe Straße 1', city: 'Bonn' }] }),
      contact({ addresses: [address] }),
    );
    expect(result.groupware.addresses).to.deep.equal([{ ...address, city: 'Bonn' }]);
    expect(result.toCrm).to.deep.equal({});
  });

  it('reports an address deleted on one side and changed on the other as a conflict', () => {
    const address = { type: 'home' as const, city: 'Köln' };
    const result = merge(
      contact({ addresses: [address] }),
      contact({ addresses: [] }),
      contact({ addresses: [{ ...address, city: 'Bonn' }] }),
      'groupware-wins',
    );
    expect(result.conflicts).to.have.length(1);
    expect(result.conflicts[0]).to.include({ field: 'addresses[home]', resolvedTo: 'groupware' });
    expect(result.crm.addresses).to.deep.equal([{ type: 'home', city: 'Bonn' }]);
  });

  it('follows a photo changed on one side by its content hash', () => {
    const photo = (hash: string) => ({ mediaType: 'image/jpeg', hash, bytes: new Uint8Array([1]) });
    const result = merge(
      contact({ photo: photo('old') }),
      contact({ photo: photo('old') }),
      contact({ photo: photo('new') }),
    );
    expect(result.toCrm).to.deep.equal({ photo: 'new' });
    expect(result.crm.photo?.hash).to.equal('new');
    expect(result.baseline.photo).to.deep.equal({ mediaType: 'image/jpeg', hash: 'new' });
  });

  it('leaves a display name that only repeats the name to be derived again after a rename', () => {
    const result = merge(contact(), contact({ surname: 'Schmidt' }), contact({ displayName: 'Anna Weiß' }));
    expect(result.groupware.surname).to.equal('Schmidt');
    expect(result.groupware).not.to.have.property('displayName');
  });
});

// ---- properties ------------------------------------------------------------------------------

const word = fc.constantFrom('Anna', 'Bernd', 'Köln', 'Müller', 'x', '');
const emailArb = fc.record({
  address: fc.constantFrom('a@x.de', 'b@x.de', 'c@x.de', 'd@x.de', 'e@x.de'),
  type: fc.constantFrom('work' as const, 'home' as const),
});
const contactArb = fc
  .record({
    givenName: word,
    surname: word,
    jobTitle: word,
    notes: word,
    emails: fc.uniqueArray(emailArb, { selector: (email) => email.address, maxLength: 4 }),
    categories: fc.uniqueArray(fc.constantFrom('VIP', 'Kunde', 'Presse'), { maxLength: 3 }),
  })
  .map((fields) => {
    const result: Contact = { ...emptyContact(), emails: fields.emails, categories: fields.categories };
    for (const key of ['givenName', 'surname', 'jobTitle', 'notes'] as const)
      if (fields[key]) result[key] = fields[key];
    return result;
  });
const policyArb = fc.constantFrom<ConflictPolicy>('crm-wins', 'groupware-wins', 'newest-wins');
const bothHoldAll = { crm: everyField, groupware: everyField };

describe('Three-way merge, for any contacts', () => {
  it('writes nothing to either side when neither changed since the baseline', () => {
    fc.assert(
      fc.property(contactArb, policyArb, (baseline, policy) => {
        const result = mergeContact({
          baseline,
          crm: baseline,
          groupware: baseline,
          support: bothHoldAll,
          policy,
        });
        expect(result.toCrm).to.deep.equal({});
        expect(result.toGroupware).to.deep.equal({});
      }),
    );
  });

  it('brings a change made on one side only to the other, with no conflict', () => {
    fc.assert(
      fc.property(contactArb, contactArb, policyArb, fc.boolean(), (baseline, changed, policy, inCrm) => {
        const crm = inCrm ? changed : baseline;
        const groupware = inCrm ? baseline : changed;
        const result = mergeContact({ baseline, crm, groupware, support: bothHoldAll, policy });
        expect(result.conflicts).to.deep.equal([]);
        const after = mergeContact({
          baseline: result.baseline as Contact,
          crm: result.crm,
          groupware: result.groupware,
          support: bothHoldAll,
          policy,
        });
        expect(after.toCrm).to.deep.equal({});
        expect(after.toGroupware).to.deep.equal({});
        for (const field of ['givenName', 'surname', 'jobTitle', 'notes'] as const) {
          expect(result.crm[field]).to.equal(changed[field]);
          expect(result.groupware[field]).to.equal(changed[field]);
        }
      }),
    );
  });

  it('lets the policy decide every conflict, leaving both sides equal afterwards', () => {
    fc.assert(
      fc.property(contactArb, contactArb, contactArb, policyArb, (baseline, crm, groupware, policy) => {
        const result = mergeContact({ baseline, crm, groupware, support: bothHoldAll, policy });
        const expected = policy === 'groupware-wins' ? 'groupware' : 'crm';
        for (const conflict of result.conflicts) expect(conflict.resolvedTo).to.equal(expected);
        for (const field of ['givenName', 'surname', 'jobTitle', 'notes'] as const)
          expect(result.crm[field]).to.equal(result.groupware[field]);
        expect(result.crm.emails.map((email) => email.address)).to.have.members(
          result.groupware.emails.map((email) => email.address),
        );
      }),
    );
  });

  it('never deletes from one side what the other side could not hold, round trip after round trip', () => {
    fc.assert(
      fc.property(
        contactArb,
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        policyArb,
        (crm, emails, categories, policy) => {
          const groupwareSupport = { ...everyField, emails, categories };
          const sides = { crm: everyField, groupware: groupwareSupport };
          // The copy holds what it can; the baseline is what both agreed on when it was made.
          let groupware = heldBy(crm, groupwareSupport);
          let baseline = mergeContact({ baseline: crm, crm, groupware, support: sides, policy })
            .baseline as Contact;
          for (let trip = 0; trip < 3; trip++) {
            const result = mergeContact({ baseline, crm, groupware, support: sides, policy });
            expect(result.toCrm).to.deep.equal({});
            expect(result.toGroupware).to.deep.equal({});
            groupware = result.groupware;
            baseline = result.baseline as Contact;
          }
          expect(baseline.emails).to.deep.equal(crm.emails);
        },
      ),
    );
  });
});
