import { LastDerived } from './last-derived.js';
import { type PackedProfile, unpackProfile } from './packed-profile.js';
import { possibleThreshold, reachesScore } from './person-score.js';

// The possible-person rule's screen as a module of its own (`DedupeRule.screenModule`): the
// candidate index loads it on its threads, so it imports nothing but the scoring.

/** The incoming profile: its candidates are screened against it one after the other. */
const incoming = new LastDerived(unpackProfile);

/** Whether two packed person profiles could reach the possible-duplicate score. */
export function mayMatch(candidate: PackedProfile, existing: PackedProfile): boolean {
  return reachesScore(incoming.of(candidate), unpackProfile(existing), possibleThreshold);
}
