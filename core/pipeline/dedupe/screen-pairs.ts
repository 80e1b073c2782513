import type {
  CandidateEntry,
  CandidateIndex,
  RuleScreen,
  ScreenedPair,
  ScreenQuery,
} from '../../store/state-store.js';

export type Screen = RuleScreen['mayMatch'];

/**
 * The candidates of one query worth judging in full (`CandidateIndex.screen`). Keys are
 * prefixed by their kind (`email:`), so two rules giving the same key mean the same thing by it.
 */
export function screenPairs(
  query: ScreenQuery,
  candidates: readonly CandidateEntry[],
  ids: readonly string[],
  screens: readonly Screen[],
): ScreenedPair[] {
  const keyRules = new Map<string, number>();
  for (let at = 0; at < query.keys.length; at++) keyRules.set(query.keys[at]!, query.keyRules[at] ?? 0);
  const pairs: ScreenedPair[] = [];
  for (const candidate of candidates) {
    let asked = 0;
    for (const key of candidate.sharedKeys) asked |= keyRules.get(key) ?? 0;
    for (let number = 0; number < ids.length; number++) {
      if (!(asked & (1 << number))) continue;
      if (ruledOut(screens[number], query.profiles[number], candidate.profiles[ids[number]!]))
        asked &= ~(1 << number);
    }
    if (asked !== 0) pairs.push({ crmId: candidate.crmId, rules: asked });
  }
  return pairs;
}

/** Screens in this thread, with the rules' own `mayMatch`. */
export async function screenHere(
  index: Pick<CandidateIndex, 'candidates'>,
  queries: readonly ScreenQuery[],
  rules: readonly RuleScreen[],
): Promise<ScreenedPair[][]> {
  const answers = await index.candidates(queries.map((query) => query.keys));
  const ids = rules.map((rule) => rule.id);
  const screens = rules.map((rule) => rule.mayMatch);
  return queries.map((query, at) => screenPairs(query, answers[at] ?? [], ids, screens));
}

/** Only a rule's own answer rules a pair out; without both profiles, or when it fails, the pair is judged in full. */
function ruledOut(screen: Screen, mine: unknown, theirs: unknown): boolean {
  if (mine === undefined || theirs === undefined || !screen) return false;
  try {
    return !screen(mine, theirs);
  } catch {
    return false;
  }
}
