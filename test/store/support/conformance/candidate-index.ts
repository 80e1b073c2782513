import { expect } from 'chai';
import type { IndexedContact } from '../../../../core/index.js';
import { keyHash } from '../../../../core/store/key-hash.js';
import { bucketOf } from '../../../../core/store/repositories/key-buckets.js';
import { expectScreening, screensForTheTests } from '../../../support/candidate-screening.js';
import { person, type StoreUnderTest } from './store-under-test.js';

export function describeCandidateIndex(t: StoreUnderTest): void {
  describe('the candidate index', () => {
    const indexed = (crmId: string, keys: string[]): IndexedContact => ({
      crmId,
      contact: person(crmId),
      keys,
    });

    it('answers, for each key set, the contacts sharing a key with it, each once with the keys shared', async () => {
      await t.store.candidates.upsert([
        indexed('c1', ['mail:a@x.de', 'name:krause|anna']),
        indexed('c2', ['name:krause|anna', 'mobile:+4917']),
        indexed('c3', ['mail:z@x.de']),
      ]);
      const answer = await t.store.candidates.candidates([
        ['name:krause|anna', 'mail:a@x.de'],
        ['mobile:+4917'],
        ['nothing'],
        [],
      ]);
      const shape = answer.map((found) =>
        found
          .map(({ crmId, sharedKeys }) => ({ crmId, sharedKeys: [...sharedKeys].sort() }))
          .sort((a, b) => a.crmId.localeCompare(b.crmId)),
      );
      expect(shape).to.deep.equal([
        [
          { crmId: 'c1', sharedKeys: ['mail:a@x.de', 'name:krause|anna'] },
          { crmId: 'c2', sharedKeys: ['name:krause|anna'] },
        ],
        [{ crmId: 'c2', sharedKeys: ['mobile:+4917'] }],
        [],
        [],
      ]);
      expect(answer[1]![0]!.profiles, 'indexed without profiles').to.deep.equal({});
      expect(await t.store.candidates.contacts(['c2', 'not-indexed'])).to.deep.equal(
        new Map([['c2', person('c2')]]),
      );
    });

    for (const [how, near] of screensForTheTests)
      it(`screens candidates with the rules whose keys they share, a rule's screen taken ${how}`, () =>
        expectScreening(t.store.candidates, near));

    it("keeps each contact's profiles, hands them back with the candidate and replaces them with the contact", async () => {
      const profiles = {
        'possible-person': { given: { folded: 'juergen', code: '0746' }, phones: [] },
        other: ['ä|+49'],
      };
      await t.store.candidates.upsert([{ ...indexed('c1', ['k']), profiles }, indexed('c2', ['k'])]);
      const [found] = await t.store.candidates.candidates([['k']]);
      expect(found!.map((one) => [one.crmId, one.profiles])).to.have.deep.members([
        ['c1', profiles],
        ['c2', {}],
      ]);
      await t.store.candidates.upsert([
        { ...indexed('c1', ['k']), contact: person('Neu'), profiles: { other: [] } },
      ]);
      const [changed] = await t.store.candidates.candidates([['k']]);
      expect(changed!.find((one) => one.crmId === 'c1')!.profiles).to.deep.equal({ other: [] });
      expect((await t.store.candidates.contacts(['c1'])).get('c1')).to.deep.equal(person('Neu'));
      await t.store.candidates.rebuild([{ ...indexed('c3', ['k']), profiles }], {
        rulesFingerprint: 'rules-v1',
      });
      expect(await t.store.candidates.candidates([['k']])).to.deep.equal([
        [{ crmId: 'c3', profiles, sharedKeys: ['k'] }],
      ]);
    });

    it("replaces a contact's keys when it is indexed again, and forgets removed contacts", async () => {
      await t.store.candidates.upsert([indexed('c1', ['old']), indexed('c2', ['old'])]);
      await t.store.candidates.upsert([{ crmId: 'c1', contact: person('Neu'), keys: ['new'] }]);
      const [byOld, byNew] = await t.store.candidates.candidates([['old'], ['new']]);
      expect(byOld!.map((found) => found.crmId)).to.deep.equal(['c2']);
      expect(byNew).to.deep.equal([{ crmId: 'c1', profiles: {}, sharedKeys: ['new'] }]);
      expect((await t.store.candidates.contacts(['c1'])).get('c1')).to.deep.equal(person('Neu'));
      await t.store.candidates.remove(['c2']);
      expect(await t.store.candidates.size()).to.equal(1);
      expect(await t.store.candidates.contacts(['c2'])).to.deep.equal(new Map());
      expect((await t.store.candidates.candidates([['old']]))[0]).to.deep.equal([]);
    });

    it('keeps the index and its state across a restart, and empties both on clear', async () => {
      await t.store.candidates.upsert([indexed('c1', ['k'])]);
      await t.store.candidates.setState({ cursor: 'feed-1', rulesFingerprint: 'rules-v1' });
      await t.store.candidates.setState({ cursor: 'feed-2' });
      await t.restart();
      expect(await t.store.candidates.getState()).to.deep.equal({
        cursor: 'feed-2',
        rulesFingerprint: 'rules-v1',
      });
      expect(await t.store.candidates.size()).to.equal(1);
      await t.store.candidates.clear();
      expect(await t.store.candidates.size()).to.equal(0);
      expect(await t.store.candidates.getState()).to.deep.equal({});
      expect((await t.store.candidates.candidates([['k']]))[0]).to.deep.equal([]);
    });

    it('answers 10,000 key sets at once, more keys than one lookup takes', async () => {
      const contacts = Array.from({ length: 10_000 }, (_, n) =>
        indexed(`c${n}`, [`mail:${n}`, `name:${n % 2500}`, `mobile:${n}`, `x:${n}`]),
      );
      await t.store.candidates.upsert(contacts);
      expect(await t.store.candidates.size()).to.equal(10_000);
      const keySets = contacts.map(({ crmId }) => {
        const n = crmId.slice(1);
        return [`mail:${n}`, `missing:${n}`, `y:${n}`, `z:${n}`, `w:${n}`, `v:${n}`];
      });
      const answer = await t.store.candidates.candidates(keySets);
      expect(answer).to.have.length(10_000);
      const wrong = answer.filter((found, n) => found.length !== 1 || found[0]!.crmId !== `c${n}`);
      expect(wrong).to.deep.equal([]);
      const byName = await t.store.candidates.candidates([['name:7']]);
      expect(byName[0]!.map((found) => found.crmId).sort()).to.deep.equal(['c2507', 'c5007', 'c7', 'c7507']);
    });

    it('keeps apart contacts whose keys are filed in one bucket when one of them changes or goes', async () => {
      const [first, second] = twoKeysInOneBucket();
      await t.store.candidates.upsert([indexed('c1', [first]), indexed('c2', [second])]);
      await t.store.candidates.upsert([indexed('c1', [first, 'other'])]);
      const [byFirst, bySecond] = await t.store.candidates.candidates([[first], [second]]);
      expect(byFirst!.map((found) => found.crmId)).to.deep.equal(['c1']);
      expect(bySecond!.map((found) => found.crmId)).to.deep.equal(['c2']);
      await t.store.candidates.remove(['c1']);
      const [goneFirst, keptSecond] = await t.store.candidates.candidates([[first], [second]]);
      expect(goneFirst).to.deep.equal([]);
      expect(keptSecond!.map((found) => found.crmId)).to.deep.equal(['c2']);
    });

    it('rebuilds from a stream of contacts, replacing what was indexed, and records the new state last', async () => {
      await t.store.candidates.upsert([indexed('old', ['shared', 'old-key'])]);
      await t.store.candidates.setState({ cursor: 'feed-1', rulesFingerprint: 'rules-v1' });
      async function* fromTheCrm() {
        for (let n = 0; n < 12_000; n++)
          yield indexed(`c${n}`, [`mail:${n}`, n % 1000 === 0 ? 'shared' : `x:${n}`]);
      }
      const count = await t.store.candidates.rebuild(fromTheCrm(), {
        cursor: 'feed-9',
        rulesFingerprint: 'rules-v2',
      });
      expect(count).to.equal(12_000);
      expect(await t.store.candidates.size()).to.equal(12_000);
      expect(await t.store.candidates.getState()).to.deep.equal({
        cursor: 'feed-9',
        rulesFingerprint: 'rules-v2',
      });
      const [byOld, byShared, byMail] = await t.store.candidates.candidates([
        ['old-key'],
        ['shared'],
        ['mail:11999'],
      ]);
      expect(byOld).to.deep.equal([]);
      expect(byShared).to.have.length(12);
      expect(byMail!.map((found) => found.crmId)).to.deep.equal(['c11999']);
      await t.store.candidates.upsert([indexed('c11999', ['mail:new'])]);
      expect(
        (await t.store.candidates.candidates([['mail:11999']]))[0],
        'upserts go on as before',
      ).to.deep.equal([]);
    });

    it('shows an interrupted rebuild by a missing rules fingerprint, and a second rebuild completes', async () => {
      await t.store.candidates.setState({ cursor: 'feed-1', rulesFingerprint: 'rules-v1' });
      async function* failingFeed() {
        for (let n = 0; n < 10_500; n++) yield indexed(`c${n}`, [`k:${n}`]);
        throw new Error('the CRM stopped answering');
      }
      let failure: unknown;
      try {
        await t.store.candidates.rebuild(failingFeed(), { cursor: 'feed-2', rulesFingerprint: 'rules-v2' });
      } catch (error) {
        failure = error;
      }
      expect((failure as Error)?.message).to.equal('the CRM stopped answering');
      expect(await t.store.candidates.getState()).to.deep.equal({});
      await t.store.candidates.upsert([indexed('c1', ['k:changed'])]);
      expect((await t.store.candidates.contacts(['c1'])).get('c1'), 'found by CRM id').to.deep.equal(
        person('c1'),
      );
      await t.store.candidates.rebuild([indexed('c1', ['k:1'])], { rulesFingerprint: 'rules-v2' });
      expect(await t.store.candidates.size()).to.equal(1);
      expect(await t.store.candidates.getState()).to.deep.equal({ rulesFingerprint: 'rules-v2' });
      expect((await t.store.candidates.candidates([['k:1']]))[0]!.map((found) => found.crmId)).to.deep.equal([
        'c1',
      ]);
    });
  });
}

/** Two different keys the index files in the same bucket (found by the birthday paradox). */
function twoKeysInOneBucket(): [string, string] {
  const seen = new Map<number, string>();
  for (let n = 0; ; n++) {
    const key = `mail:${n}@bucket.de`;
    const other = seen.get(bucketOf(keyHash(key)));
    if (other !== undefined) return [other, key];
    seen.set(bucketOf(keyHash(key)), key);
  }
}
