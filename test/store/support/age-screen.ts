/**
 * A screen module for the tests (`RuleScreen.module`): two profiles `{ age }` could be one
 * person only when their ages are at most five years apart. A profile without an age makes
 * it fail, as a rule's screen may on data it did not expect.
 */
export function mayMatch(candidate: { age: number }, existing: { age?: unknown }): boolean {
  if (typeof existing.age !== 'number') throw new Error('a profile without an age');
  return Math.abs(candidate.age - existing.age) <= 5;
}

export const ageScreenModule = import.meta.url;
