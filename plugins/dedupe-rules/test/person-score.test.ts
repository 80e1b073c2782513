import { expect } from 'chai';
import { readFake1000, readFebrl } from '../../../bench/dedupe/datasets.js';
import { fixture } from '../../../test/support/paths.js';
import { personProfile } from '../src/person-profile.js';
import { comparePersons, fieldsOnBothSides, possibleThreshold, reachesScore } from '../src/person-score.js';

describe('The quick screen of the possible-person score', () => {
  it('says of every pair comparable on two fields what the full score says, on FEBRL and fake_1000 records', () => {
    const records = [
      ...readFake1000(fixture('dedupe', 'splink-fake-1000', 'fake_1000.csv')),
      ...readFebrl(fixture('dedupe', 'febrl', 'dataset4a.csv')).slice(0, 500),
      ...readFebrl(fixture('dedupe', 'febrl', 'dataset4b.csv')).slice(0, 500),
    ];
    const profiles = records.map((record) => personProfile(record.contact, 'DE'));
    let reached = 0;
    let pairs = 0;
    // Every pair of the first 700 records, and each record with its neighbours in the others,
    // so that the pairs include near-duplicates as well as strangers.
    for (let a = 0; a < profiles.length; a++)
      for (let b = a + 1; b < profiles.length && (a < 700 ? b < 700 : b < a + 40); b++) {
        for (const threshold of [possibleThreshold, 0, 10]) {
          // A pair comparable on one field alone never reaches it, whatever its score.
          const full =
            fieldsOnBothSides(profiles[a]!, profiles[b]!) >= 2 &&
            comparePersons(profiles[a]!, profiles[b]!).score >= threshold;
          const screened = reachesScore(profiles[a]!, profiles[b]!, threshold);
          if (screened !== full)
            expect.fail(
              `records ${a} and ${b} at threshold ${threshold}: the screen says ${screened}, the score ${comparePersons(profiles[a]!, profiles[b]!).score}`,
            );
          if (threshold === possibleThreshold && full) reached++;
        }
        pairs++;
      }
    expect(pairs).to.be.greaterThan(250_000);
    expect(reached, 'pairs that reach the threshold are among them').to.be.greaterThan(1000);
  });
});
