import { expect } from 'chai';
import type { Contact, DedupeRule } from '../../core/index.js';

/**
 * What every `DedupeRule` promises the engine, checked over the ordered pairs of `sample()`:
 * contacts that are duplicates of each other in many ways (typos, swapped names, other
 * spellings of a number), and contacts that are not. The index hands the engine a CRM
 * contact as JSON, and its profile as JSON too, so each promise is checked for the copies.
 */
export function describeDedupeRuleConformance(
  name: string,
  makeRule: () => DedupeRule,
  sample: () => readonly Contact[],
): void {
  const offersProfile = typeof makeRule().profile === 'function';
  const { screenModule } = makeRule();
  describe(`${name}, like every duplicate rule`, function () {
    this.timeout(120_000);
    let rule: DedupeRule;
    let contacts: readonly Contact[];
    let stored: readonly Contact[];
    let found: [number, number][];
    before(() => {
      rule = makeRule();
      contacts = sample();
      stored = contacts.map(jsonCopy);
      found = [];
      for (let a = 0; a < contacts.length; a++)
        for (let b = 0; b < contacts.length; b++)
          if (a !== b && rule.evaluate(contacts[a]!, contacts[b]!)) found.push([a, b]);
    });

    it('finds some of the sample’s pairs and far from all of them, or the checks below say little', () => {
      expect(found.length).to.be.greaterThan(4);
      expect(found.length).to.be.lessThan((contacts.length * (contacts.length - 1)) / 10);
    });

    it('judges a CRM contact read back from JSON as it judges the contact itself', () => {
      // Every pair it finds, and every seventh of the others.
      const differing: [Contact, Contact][] = [];
      for (let a = 0; a < contacts.length; a++)
        for (let b = 0; b < contacts.length; b++) {
          if (a === b || ((a * contacts.length + b) % 7 !== 0 && !found.some(([x, y]) => x === a && y === b)))
            continue;
          const direct = rule.evaluate(contacts[a]!, contacts[b]!);
          const fromJson = rule.evaluate(contacts[a]!, stored[b]!);
          if (JSON.stringify(direct) !== JSON.stringify(fromJson))
            differing.push([contacts[a]!, contacts[b]!]);
        }
      expect(differing).to.deep.equal([]);
    });

    it('offers a profile and a way to compare two profiles together, or neither', () => {
      expect(typeof rule.profile).to.equal(typeof rule.mayMatch);
    });

    if (!offersProfile) return;

    it('derives the same profile of a contact and of its JSON copy, and the profile is JSON', () => {
      contacts.forEach((contact, at) => {
        const profile = rule.profile!(contact);
        expect(jsonCopy(rule.profile!(stored[at]!)), JSON.stringify(contact)).to.deep.equal(
          jsonCopy(profile),
        );
      });
    });

    it('never rules out, from the profiles as the index keeps them, a pair it finds', () => {
      const kept = contacts.map((contact) => jsonCopy(rule.profile!(contact)));
      const incoming = contacts.map((contact) => rule.profile!(contact));
      const ruledOut = found.filter(([a, b]) => !rule.mayMatch!(incoming[a], kept[b]));
      expect(ruledOut.map(([a, b]) => [contacts[a], contacts[b]])).to.deep.equal([]);
    });

    if (screenModule)
      it('names a screen module that answers as its own comparison does, on copies of both profiles', async () => {
        const { mayMatch } = (await import(screenModule)) as {
          mayMatch: (a: unknown, b: unknown) => boolean;
        };
        const kept = contacts.map((contact) => jsonCopy(rule.profile!(contact)));
        const differing: [Contact, Contact][] = [];
        for (let a = 0; a < contacts.length; a++)
          for (let b = 0; b < contacts.length; b++)
            if (a !== b && mayMatch(jsonCopy(kept[a]), kept[b]) !== rule.mayMatch!(kept[a], kept[b]))
              differing.push([contacts[a]!, contacts[b]!]);
        expect(differing).to.deep.equal([]);
      });

    it('rules out most of the pairs it does not find, or the profile spares nothing', () => {
      const kept = contacts.map((contact) => jsonCopy(rule.profile!(contact)));
      let letThrough = 0;
      for (let a = 0; a < contacts.length; a++)
        for (let b = 0; b < contacts.length; b++)
          if (a !== b && rule.mayMatch!(kept[a], kept[b])) letThrough++;
      const pairs = contacts.length * (contacts.length - 1);
      expect((letThrough - found.length) / (pairs - found.length)).to.be.lessThan(0.5);
    });
  });
}

function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
