import type { Contact, DedupeRule } from '../../core/index.js';
import type { NamedRule } from '../../core/pipeline/dedupe/index.js';
import {
  PossiblePersonRule,
  SureEmailRule,
  SureSurnameMobileRule,
} from '../../plugins/dedupe-rules/src/index.js';
import { figure } from '../support/report.js';
import { fixtureFile, type LabelledContact, readFake1000, readFebrl } from './datasets.js';
import { dedupeFigures, linkageFigures, type PairFigures } from './pair-metrics.js';
import type { SureCount } from './scale.js';

const possible: NamedRule[] = [{ id: 'possible-person', rule: new PossiblePersonRule() }];

export const sureRules: NamedRule[] = [
  { id: 'sure-email', rule: new SureEmailRule() },
  { id: 'sure-surname-mobile', rule: new SureSurnameMobileRule() },
];

/** recordlinkage's documented recipe: exact given name, blank names left out. */
const givenNameBlocking: DedupeRule = {
  blockingKeys: (contact: Contact) => (contact.givenName ? [`given:${contact.givenName}`] : []),
  evaluate: () => undefined,
};

/** Published candidate-pair count of that recipe on FEBRL 4 (recordlinkage documentation). */
const recordlinkageFebrl4Pairs = 77_249;

/** Loads a fixture or says loudly which one is missing; the figures that need it are skipped. */
function load(read: (file: string) => LabelledContact[], ...parts: string[]): LabelledContact[] | undefined {
  const file = fixtureFile(...parts);
  if (file) return read(file);
  process.stderr.write(
    `\n*** dedupe benchmark: fixture ${parts.join('/')} NOT FOUND — set DEDUPE_FIXTURES or provide ../shared/fixtures/dedupe; its figures are SKIPPED ***\n\n`,
  );
  return undefined;
}

/** Every sure finding on the labelled sets, and how many of them name the same person. */
export async function accuracyFigures(): Promise<SureCount> {
  const sure: SureCount = { found: 0, right: 0 };
  const febrl4a = load(readFebrl, 'febrl', 'dataset4a.csv');
  const febrl4b = load(readFebrl, 'febrl', 'dataset4b.csv');
  if (febrl4a && febrl4b) {
    const harness = await linkageFigures(
      febrl4a,
      febrl4b,
      [{ id: 'given', rule: givenNameBlocking }],
      'given',
    );
    figure('dedupe febrl4 given-name blocking pairs', harness.candidatePairs, 'pairs');
    if (harness.candidatePairs !== recordlinkageFebrl4Pairs)
      throw new Error(
        `the harness reads FEBRL 4 differently from recordlinkage: ${harness.candidatePairs} given-name pairs, not ${recordlinkageFebrl4Pairs}`,
      );
    print('febrl4', await linkageFigures(febrl4a, febrl4b, possible, 'possible-person'));
    for (const rule of sureRules) add(sure, await linkageFigures(febrl4a, febrl4b, [rule], rule.id));
  }
  const febrl3 = load(readFebrl, 'febrl', 'dataset3.csv');
  if (febrl3) {
    print('febrl3', await dedupeFigures(febrl3, possible, 'possible-person'));
    for (const rule of sureRules) add(sure, await dedupeFigures(febrl3, [rule], rule.id));
  }
  const fake = load(readFake1000, 'splink-fake-1000', 'fake_1000.csv');
  if (fake) {
    print('fake1000', await dedupeFigures(fake, possible, 'possible-person'));
    for (const rule of sureRules) {
      const found = await dedupeFigures(fake, [rule], rule.id);
      add(sure, found);
      if (found.predictedPairs) ratio(`dedupe fake1000 ${rule.id} precision`, found.precision);
    }
  }
  return sure;
}

function add(sure: SureCount, figures: PairFigures): void {
  sure.found += figures.predictedPairs;
  sure.right += figures.truePositives;
}

function print(set: string, figures: PairFigures): void {
  figure(`dedupe ${set} candidate pairs`, figures.candidatePairs, 'pairs');
  ratio(`dedupe ${set} pairs completeness`, figures.pairsCompleteness);
  ratio(`dedupe ${set} precision`, figures.precision);
  ratio(`dedupe ${set} recall`, figures.recall);
  ratio(`dedupe ${set} f1`, figures.f1);
  process.stderr.write(`${set}: ${JSON.stringify(figures)}\n`);
}

/** A share as `name: 0.993`, three decimals, no unit. */
export function ratio(name: string, value: number): void {
  process.stdout.write(`${name}: ${value.toFixed(3)}\n`);
}
