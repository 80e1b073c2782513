import { expect } from 'chai';
import type { CandidateIndex, IndexedContact, RuleScreen, ScreenedPair } from '../../core/index.js';
import { emptyContact } from '../../core/index.js';
import { ageScreenModule, mayMatch } from '../store/support/age-screen.js';

/** A rule's screen as a function, and as a module (on an index with threads, the module is used). */
export const screensForTheTests = [
  ['from its function', { id: 'near', mayMatch } as RuleScreen],
  ['from its module as well', { id: 'near', mayMatch, module: ageScreenModule } as RuleScreen],
] as const;

/**
 * Indexes four contacts and checks what `screen` leaves of them: `near` may match ages at
 * most five years apart, `plain` has no screen.
 */
export async function expectScreening(index: CandidateIndex, near: RuleScreen): Promise<void> {
  const entry = (crmId: string, keys: string[], profile?: unknown): IndexedContact => ({
    crmId,
    contact: { ...emptyContact(), surname: crmId, ids: { crmId } },
    keys,
    ...(profile ? { profiles: { near: profile } } : {}),
  });
  await index.upsert([
    entry('c1', ['k:a', 'k:b'], { age: 30 }),
    entry('c2', ['k:a'], { age: 50 }),
    entry('c3', ['k:b'], { age: 'unknown' }),
    entry('c4', ['k:c']),
  ]);
  const plain: RuleScreen = { id: 'plain' };
  const screened = await index.screen(
    [
      // k:a and k:b come from the second rule (bit 1), k:c from the first (bit 0).
      { keys: ['k:a', 'k:b', 'k:c'], keyRules: [0b10, 0b10, 0b01], profiles: [undefined, { age: 32 }] },
      { keys: ['k:a'], keyRules: [0b10], profiles: [undefined, undefined] },
      { keys: ['k:nothing'], keyRules: [0b11], profiles: [undefined, { age: 1 }] },
    ],
    [plain, near],
  );
  const sorted = (pairs: ScreenedPair[]) => [...pairs].sort((a, b) => a.crmId.localeCompare(b.crmId));
  expect(screened.map(sorted)).to.deep.equal([
    // c2 is 18 years older; c3's profile makes the screen fail, so the pair is judged in full.
    [
      { crmId: 'c1', rules: 0b10 },
      { crmId: 'c3', rules: 0b10 },
      { crmId: 'c4', rules: 0b01 },
    ],
    // Without a profile of the incoming contact, nothing is ruled out.
    [
      { crmId: 'c1', rules: 0b10 },
      { crmId: 'c2', rules: 0b10 },
    ],
    [],
  ]);
}
