import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Contact, Fetched } from '../../core/index.js';
import { readVCardsSync } from '../../plugins/vcard-file/src/read/index.js';
import { assertExpectation, expectations } from '../../plugins/vcard-file/test/read/corpus-expectations.js';
import { assertEveryItemReadOrLocated } from '../../plugins/vcard-file/test/read/file-invariants.js';
import { assertRoundTrip } from '../../plugins/vcard-file/test/support/round-trip.js';
import { sharedRoot } from '../support/paths.js';

const corpusDir = join(sharedRoot, 'fixtures', 'vcard', 'real');

function corpusFiles(): string[] {
  if (!existsSync(corpusDir)) {
    throw new Error(
      `The vCard corpus is missing: expected ${corpusDir} (the team's shared folder beside the checkout). This suite reads the full corpus including copyleft files and cannot run without it.`,
    );
  }
  return readdirSync(corpusDir)
    .filter((file) => !file.endsWith('.md'))
    .sort();
}

describe('vCard reader on the full real-world corpus', () => {
  const totals = { files: 0, contacts: 0, rejected: 0, outside: 0, truncated: 0 };

  it('finds the corpus and an expectation file for it', () => {
    const files = corpusFiles();
    expect(files.length).to.be.greaterThan(190);
    for (const expectation of expectations)
      expect(files, 'file named in the expectations').to.include(expectation.file);
  });

  it('reads every file, or rejects card by card with a located error, and meets every stated expectation', () => {
    const failures: string[] = [];
    for (const file of corpusFiles()) {
      let results: Fetched<Contact>[] = [];
      try {
        results = readVCardsSync(readFileSync(join(corpusDir, file)), { file });
        assertEveryItemReadOrLocated(file, results);
        const expectation = expectations.find((entry) => entry.file === file);
        if (expectation) assertExpectation(expectation, results);
      } catch (error) {
        failures.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      totals.files++;
      for (const result of results) {
        if (result.ok) totals.contacts++;
        else if (result.problem.code === 'CRMSYNC_ERR_VCARD_OUTSIDE_CARD') totals.outside++;
        // Reported beside the contact read from the cut-off card, so not a rejected card.
        else if (result.problem.code === 'CRMSYNC_ERR_VCARD_TRUNCATED') totals.truncated++;
        else totals.rejected++;
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('keeps every mapped field of every card of every file through read → write → read, in 3.0 and 4.0', () => {
    const failures: string[] = [];
    let cards = 0;
    for (const file of corpusFiles()) {
      for (const version of ['3.0', '4.0'] as const) {
        try {
          cards += assertRoundTrip(readFileSync(join(corpusDir, file)), file, version);
        } catch (error) {
          failures.push(`${file} as ${version}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(cards).to.be.greaterThan(2000);
  });

  it('reads two files concatenated as two cards (Roundcube test_import)', () => {
    const bytes = Buffer.concat([
      readFileSync(join(corpusDir, 'roundcube__apple.vcf')),
      readFileSync(join(corpusDir, 'roundcube__johndoe.vcf')),
    ]);
    const names = readVCardsSync(bytes).map((result) =>
      result.ok ? result.value.displayName : result.problem.message,
    );
    expect(names).to.deep.equal(['Apple Computer AG', 'John Doë']);
  });

  after(() => {
    // The counts the README quotes.
    console.log(
      `      vCard corpus: ${totals.files} files, ${totals.contacts} cards read, ${totals.rejected} cards rejected, ${totals.truncated} cards cut off by the end of their file, ${totals.outside} runs of text outside any card reported`,
    );
  });
});
