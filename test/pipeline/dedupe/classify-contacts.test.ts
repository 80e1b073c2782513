import { expect } from 'chai';
import { type Contact, CrmsyncError, type DedupeRule, emptyContact } from '../../../core/index.js';
import {
  classifyContacts,
  indexEntry,
  MemoryCandidateIndex,
  type NamedRule,
  rulesFingerprint,
} from '../../../core/pipeline/dedupe/index.js';
import { expectScreening, screensForTheTests } from '../../support/candidate-screening.js';

function contact(crmId: string | undefined, surname: string, city = ''): Contact {
  return {
    ...emptyContact(),
    surname,
    ...(city ? { addresses: [{ type: 'home' as const, city }] } : {}),
    ids: crmId ? { crmId } : {},
  };
}

/** Blocks by surname and judges by city: same city sure, other city possible; counts its pairs. */
class SurnameRule implements DedupeRule {
  judged: [string, string][] = [];
  blockingKeys(person: Contact): string[] {
    return person.surname ? [`surname:${person.surname.toLowerCase()}`] : [];
  }
  evaluate(candidate: Contact, existing: Contact) {
    this.judged.push([candidate.surname ?? '', existing.ids.crmId ?? '']);
    const same = candidate.addresses[0]?.city === existing.addresses[0]?.city;
    return {
      verdict: same ? ('sure' as const) : ('possible' as const),
      ruleId: 'surname',
      reason: same ? 'same surname and city' : 'same surname',
      evidence: { surname: existing.surname ?? '' },
    };
  }
}

async function indexOf(rules: NamedRule[], contacts: Contact[]): Promise<MemoryCandidateIndex> {
  const index = new MemoryCandidateIndex();
  await index.upsert(contacts.map((one) => indexEntry(one, rules)));
  return index;
}

describe('Classifying incoming contacts against the CRM', () => {
  it('gives one verdict per incoming contact, in order, none where no key is shared', async () => {
    const rules = [{ id: 'surname', rule: new SurnameRule() }];
    const index = await indexOf(rules, [contact('K-1', 'Vogel', 'Bonn')]);
    const verdicts = await classifyContacts(
      [contact(undefined, 'Fink'), contact(undefined, 'Vogel', 'Bonn'), contact(undefined, 'Vogel', 'Kiel')],
      rules,
      index,
    );
    expect(verdicts.map((one) => one.verdict)).to.deep.equal(['none', 'sure', 'possible']);
    expect(verdicts[1]!.findings[0]).to.deep.include({
      crmId: 'K-1',
      crmDisplayName: 'Vogel',
      ruleId: 'surname',
    });
  });

  it('judges only the CRM contacts that share a key, never all of them', async () => {
    const rule = new SurnameRule();
    const rules = [{ id: 'surname', rule }];
    const crm = Array.from({ length: 500 }, (_, n) => contact(`K-${n}`, `Name${n}`));
    const index = await indexOf(rules, crm);
    await classifyContacts([contact(undefined, 'Name7')], rules, index);
    expect(rule.judged).to.deep.equal([['Name7', 'K-7']]);
  });

  it('puts the strongest finding first and makes it the verdict', async () => {
    const rules = [{ id: 'surname', rule: new SurnameRule() }];
    const index = await indexOf(rules, [contact('K-1', 'Vogel', 'Kiel'), contact('K-2', 'Vogel', 'Bonn')]);
    const [verdict] = await classifyContacts([contact(undefined, 'Vogel', 'Bonn')], rules, index);
    expect(verdict!.verdict).to.equal('sure');
    expect(verdict!.findings.map((one) => [one.crmId, one.verdict])).to.deep.equal([
      ['K-2', 'sure'],
      ['K-1', 'possible'],
    ]);
  });

  it('asks a rule only about pairs that share one of its own keys', async () => {
    const surname = new SurnameRule();
    const cityKeys: DedupeRule = {
      blockingKeys: (person) => (person.addresses[0]?.city ? [`city:${person.addresses[0].city}`] : []),
      evaluate: () => undefined,
    };
    const rules = [
      { id: 'surname', rule: surname },
      { id: 'city', rule: cityKeys },
    ];
    const index = await indexOf(rules, [contact('K-1', 'Fink', 'Bonn')]);
    const [verdict] = await classifyContacts([contact(undefined, 'Vogel', 'Bonn')], rules, index);
    expect(verdict!.verdict).to.equal('none');
    expect(surname.judged).to.deep.equal([]);
  });

  it('turns a rule that fails on one pair into a possible duplicate to check, and goes on', async () => {
    const failing: DedupeRule = {
      blockingKeys: (person) => [`surname:${person.surname}`],
      evaluate: (candidate) => {
        if (candidate.surname === 'Kaputt') throw new Error('cannot read the birthday');
        return undefined;
      },
    };
    const rules = [{ id: 'fragile', rule: failing }];
    const index = await indexOf(rules, [contact('K-1', 'Kaputt'), contact('K-2', 'Heil')]);
    const verdicts = await classifyContacts(
      [contact(undefined, 'Kaputt'), contact(undefined, 'Heil')],
      rules,
      index,
    );
    expect(verdicts[0]!.verdict).to.equal('possible');
    expect(verdicts[0]!.findings[0]!.reason).to.contain('fragile').and.contain('cannot read the birthday');
    expect(verdicts[1]!.verdict).to.equal('none');
  });

  it('refuses to index a CRM contact without a CRM id, naming the field', () => {
    const rules = [{ id: 'surname', rule: new SurnameRule() }];
    expect(() => indexEntry(contact(undefined, 'Vogel'), rules))
      .to.throw(CrmsyncError)
      .with.property('location')
      .that.deep.equals({ field: 'ids.crmId' });
  });

  it('keeps a photo’s hash in the index but not its bytes', () => {
    const rules = [{ id: 'surname', rule: new SurnameRule() }];
    const withPhoto = {
      ...contact('K-1', 'Vogel'),
      photo: { mediaType: 'image/png', bytes: new Uint8Array(1000), hash: 'abc' },
    };
    expect(indexEntry(withPhoto, rules).contact.photo).to.deep.equal({ mediaType: 'image/png', hash: 'abc' });
  });

  it('refuses two rules with one id, since findings name rules by id', async () => {
    const rules = [
      { id: 'same', rule: new SurnameRule() },
      { id: 'same', rule: new SurnameRule() },
    ];
    const error = await classifyContacts([], rules, new MemoryCandidateIndex()).catch((caught) => caught);
    expect(error).to.be.instanceOf(CrmsyncError).with.property('code', 'CRMSYNC_ERR_CONTRIBUTION_DUPLICATE');
  });

  it('names a rule set the same whatever the order of its rules', () => {
    const a = { id: 'a', rule: new SurnameRule() };
    const b = { id: 'b', rule: new SurnameRule() };
    expect(rulesFingerprint([a, b])).to.equal(rulesFingerprint([b, a]));
    expect(rulesFingerprint([a])).to.not.equal(rulesFingerprint([a, b]));
  });

  it('names a rule set anew when a rule of the same id derives its keys differently', () => {
    const before = { id: 'surname', rule: new SurnameRule() };
    const after = {
      id: 'surname',
      rule: {
        blockingKeys: (contact: Contact) =>
          [...new SurnameRule().blockingKeys(contact)].map((key) => `v2:${key}`),
        evaluate: () => undefined,
      },
    };
    expect(rulesFingerprint([after])).to.not.equal(rulesFingerprint([before]));
  });
});

/**
 * Blocks by surname, profiles a contact by its city and may match only within one city;
 * judges like `SurnameRule`. Counts what it was asked, and can be told to fail.
 */
class CityProfileRule implements DedupeRule<string> {
  evaluated: string[] = [];
  failProfileOf?: string;
  failMayMatch = false;
  blockingKeys(person: Contact): string[] {
    return person.surname ? [`surname:${person.surname.toLowerCase()}`] : [];
  }
  profile(person: Contact): string {
    if (person.surname === this.failProfileOf) throw new Error('cannot profile this one');
    return person.addresses[0]?.city ?? '';
  }
  mayMatch(candidate: string, existing: string): boolean {
    if (this.failMayMatch) throw new Error('cannot compare cities');
    return candidate === existing;
  }
  evaluate(candidate: Contact, existing: Contact) {
    this.evaluated.push(existing.ids.crmId ?? '');
    if (candidate.addresses[0]?.city !== existing.addresses[0]?.city) return undefined;
    return { verdict: 'possible' as const, ruleId: 'city', reason: 'same surname and city', evidence: {} };
  }
}

/** The index in memory, counting the contacts read whole. */
class CountingIndex extends MemoryCandidateIndex {
  read: string[] = [];
  override async contacts(crmIds: readonly string[]) {
    this.read.push(...crmIds);
    return super.contacts(crmIds);
  }
}

describe('Classifying with rules that offer profiles', () => {
  const crm = [
    contact('K-1', 'Vogel', 'Bonn'),
    contact('K-2', 'Vogel', 'Kiel'),
    contact('K-3', 'Vogel', 'Ulm'),
  ];

  async function classifyVogel(rule: CityProfileRule, index = new CountingIndex()) {
    const rules = [{ id: 'city', rule }];
    await index.upsert(crm.map((one) => indexEntry(one, rules)));
    const [verdict] = await classifyContacts([contact(undefined, 'Vogel', 'Bonn')], rules, index);
    return { verdict: verdict!, index };
  }

  it('keeps what a rule derived of each CRM contact in the index entry', () => {
    const rules = [
      { id: 'city', rule: new CityProfileRule() },
      { id: 'surname', rule: new SurnameRule() },
    ];
    expect(indexEntry(contact('K-1', 'Vogel', 'Bonn'), rules).profiles).to.deep.equal({ city: 'Bonn' });
    expect(indexEntry(contact('K-1', 'Vogel', 'Bonn'), [rules[1]!])).to.not.have.property('profiles');
  });

  it('evaluates and reads whole only the candidates the profiles let through', async () => {
    const rule = new CityProfileRule();
    const { verdict, index } = await classifyVogel(rule);
    expect(verdict.findings.map((one) => one.crmId)).to.deep.equal(['K-1']);
    expect(rule.evaluated).to.deep.equal(['K-1']);
    expect(index.read).to.deep.equal(['K-1']);
  });

  it('finds what evaluating every candidate finds', async () => {
    const screened = await classifyVogel(new CityProfileRule());
    const rules = [{ id: 'city', rule: new SurnameRule() }];
    const index = new MemoryCandidateIndex();
    await index.upsert(crm.map((one) => indexEntry(one, rules)));
    const [unscreened] = await classifyContacts([contact(undefined, 'Vogel', 'Bonn')], rules, index);
    expect(
      unscreened!.findings.filter((one) => one.verdict === 'sure').map((one) => one.crmId),
    ).to.deep.equal(screened.verdict.findings.map((one) => one.crmId));
  });

  it('evaluates every candidate when the rule cannot compare the profiles', async () => {
    const rule = new CityProfileRule();
    rule.failMayMatch = true;
    const { verdict } = await classifyVogel(rule);
    expect(rule.evaluated.sort()).to.deep.equal(['K-1', 'K-2', 'K-3']);
    expect(verdict.findings.map((one) => one.crmId)).to.deep.equal(['K-1']);
  });

  it('evaluates every candidate when the rule cannot profile the incoming contact', async () => {
    const rule = new CityProfileRule();
    const rules = [{ id: 'city', rule }];
    const index = new MemoryCandidateIndex();
    await index.upsert(crm.map((one) => indexEntry(one, rules)));
    rule.failProfileOf = 'Vogel';
    await classifyContacts([contact(undefined, 'Vogel', 'Bonn')], rules, index);
    expect(rule.evaluated.sort()).to.deep.equal(['K-1', 'K-2', 'K-3']);
  });

  it('evaluates a CRM contact indexed without the profile in full', async () => {
    const rule = new CityProfileRule();
    rule.failProfileOf = 'Vogel';
    const rules = [{ id: 'city', rule }];
    const index = new MemoryCandidateIndex();
    await index.upsert(crm.map((one) => indexEntry(one, rules)));
    expect(indexEntry(crm[0]!, rules)).to.not.have.property('profiles');
    rule.failProfileOf = undefined;
    const [verdict] = await classifyContacts([contact(undefined, 'Vogel', 'Bonn')], rules, index);
    expect(rule.evaluated.sort()).to.deep.equal(['K-1', 'K-2', 'K-3']);
    expect(verdict!.findings.map((one) => one.crmId)).to.deep.equal(['K-1']);
  });

  it('leaves out a candidate that left the index before it was read whole', async () => {
    class ForgetfulIndex extends CountingIndex {
      override async contacts(crmIds: readonly string[]) {
        await this.remove(['K-1']);
        return super.contacts(crmIds);
      }
    }
    const { verdict } = await classifyVogel(new CityProfileRule(), new ForgetfulIndex());
    expect(verdict.verdict).to.equal('none');
  });

  it('names a rule set anew when a rule of the same id derives its profiles differently', () => {
    const before = { id: 'city', rule: new CityProfileRule() };
    const after = { id: 'city', rule: Object.assign(new CityProfileRule(), { profile: () => 'everywhere' }) };
    expect(rulesFingerprint([after])).to.not.equal(rulesFingerprint([before]));
  });
});

describe('The candidate index in memory', () => {
  const rules = [{ id: 'surname', rule: new SurnameRule() }];
  const ask = async (index: MemoryCandidateIndex, surname: string) =>
    (await index.candidates([[`surname:${surname}`]]))[0]!.map((found) => found.crmId);

  it('screens candidates with the rules whose keys they share, each with its own screen', () =>
    expectScreening(new MemoryCandidateIndex(), screensForTheTests[0][1]));

  it('forgets the old keys of a contact that changed', async () => {
    const index = await indexOf(rules, [contact('K-1', 'Vogel')]);
    await index.upsert([indexEntry(contact('K-1', 'Fink'), rules)]);
    expect(await ask(index, 'vogel')).to.deep.equal([]);
    expect(await ask(index, 'fink')).to.deep.equal(['K-1']);
    expect(await index.size()).to.equal(1);
  });

  it('forgets removed contacts and everything on clear', async () => {
    const index = await indexOf(rules, [contact('K-1', 'Vogel'), contact('K-2', 'Vogel')]);
    await index.remove(['K-1']);
    expect(await ask(index, 'vogel')).to.deep.equal(['K-2']);
    await index.clear();
    expect(await ask(index, 'vogel')).to.deep.equal([]);
    expect(await index.size()).to.equal(0);
  });

  it('names each candidate once with every key it shares', async () => {
    const index = new MemoryCandidateIndex();
    await index.upsert([{ crmId: 'K-1', contact: contact('K-1', 'Vogel'), keys: ['a', 'b', 'c'] }]);
    const [found] = await index.candidates([['a', 'c', 'x']]);
    expect(found).to.have.length(1);
    expect(found![0]!.sharedKeys.sort()).to.deep.equal(['a', 'c']);
  });

  it('finds every contact of a large block among 200,000 keys of 100,000 contacts', async () => {
    const index = new MemoryCandidateIndex();
    const entries = Array.from({ length: 100_000 }, (_, n) => ({
      crmId: `K-${n}`,
      contact: contact(`K-${n}`, 'X'),
      keys: [`own:${n}`, `block:${n % 1000}`],
    }));
    await index.upsert(entries);
    const [block, own] = await index.candidates([['block:7'], ['own:99999']]);
    expect(block).to.have.length(100);
    expect(own!.map((found) => found.crmId)).to.deep.equal(['K-99999']);
  });

  it('remembers the change-feed cursor and the rule set it was built with', async () => {
    const index = new MemoryCandidateIndex();
    await index.setState({ cursor: 'c-42', rulesFingerprint: 'surname' });
    expect(await index.getState()).to.deep.equal({ cursor: 'c-42', rulesFingerprint: 'surname' });
  });
});
