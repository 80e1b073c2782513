import type { MergeSide } from './conflict-policy.js';

/** How one value came out of a three-way merge. */
export interface ThreeWayOutcome<T> {
  value: T | undefined;
  /** Which side's change the value carries; `none` when neither side changed it. */
  changedOn: 'none' | MergeSide | 'both';
  /** Both sides changed it to different values; `winner` is the side the policy kept. */
  conflict?: { winner: MergeSide };
}

/**
 * The classic three-way rule for one value: a side that still has the baseline did not change
 * it; a value changed on one side is taken; changed on both to the same value agrees; changed
 * on both to different values is a conflict the winner decides.
 */
export function threeWay<T>(
  baseline: T | undefined,
  crm: T | undefined,
  groupware: T | undefined,
  equal: (a: T | undefined, b: T | undefined) => boolean,
  winner: () => MergeSide,
): ThreeWayOutcome<T> {
  const crmChanged = !equal(crm, baseline);
  const groupwareChanged = !equal(groupware, baseline);
  if (!crmChanged && !groupwareChanged) return { value: crm, changedOn: 'none' };
  if (!groupwareChanged) return { value: crm, changedOn: 'crm' };
  if (!crmChanged) return { value: groupware, changedOn: 'groupware' };
  if (equal(crm, groupware)) return { value: crm, changedOn: 'both' };
  const side = winner();
  return { value: side === 'crm' ? crm : groupware, changedOn: 'both', conflict: { winner: side } };
}

/** Absent, null and empty text are one and the same "no value". */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

export function sameScalar(a: unknown, b: unknown): boolean {
  if (isBlank(a) || isBlank(b)) return isBlank(a) && isBlank(b);
  return a === b;
}
