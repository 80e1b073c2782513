import type { Contact } from '../../core/index.js';
import {
  classifyContacts,
  indexEntry,
  MemoryCandidateIndex,
  type NamedRule,
} from '../../core/pipeline/dedupe/index.js';
import type { LabelledContact } from './datasets.js';

/** Pairwise figures of one rule on one labelled set, as the record-linkage literature reports them. */
export interface PairFigures {
  candidatePairs: number;
  truePairs: number;
  /** True pairs that share a blocking key: blocking's ceiling on recall. */
  trueCandidatePairs: number;
  predictedPairs: number;
  truePositives: number;
  pairsCompleteness: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Linkage of two sets (FEBRL 4a ↔ 4b): `crm` is indexed, `incoming` is classified against
 * it, and a pair counts as found when `ruleId` gave a finding for it.
 */
export async function linkageFigures(
  crm: readonly LabelledContact[],
  incoming: readonly LabelledContact[],
  rules: readonly NamedRule[],
  ruleId: string,
): Promise<PairFigures> {
  return figures(crm, incoming, rules, ruleId, false);
}

/** Deduplication of one set (FEBRL 3, fake_1000): every record against all others, each pair once. */
export async function dedupeFigures(
  records: readonly LabelledContact[],
  rules: readonly NamedRule[],
  ruleId: string,
): Promise<PairFigures> {
  return figures(records, records, rules, ruleId, true);
}

async function figures(
  crm: readonly LabelledContact[],
  incoming: readonly LabelledContact[],
  rules: readonly NamedRule[],
  ruleId: string,
  sameSet: boolean,
): Promise<PairFigures> {
  const index = new MemoryCandidateIndex();
  const entityOf = new Map(crm.map((record) => [record.id, record.entity]));
  await index.upsert(crm.map((record) => indexEntry(asCrmContact(record), rules)));
  const keySets = incoming.map((record) => indexEntry(asCrmContact(record), rules).keys);
  const candidates = await index.candidates(keySets);
  const candidatePairs = new Set<string>();
  let trueCandidatePairs = 0;
  candidates.forEach((found, at) => {
    const own = incoming[at]!;
    for (const { crmId } of found) {
      const pair = pairKey(own.id, crmId, sameSet);
      if (!pair || candidatePairs.has(pair)) continue;
      candidatePairs.add(pair);
      if (entityOf.get(crmId) === own.entity) trueCandidatePairs++;
    }
  });
  const verdicts = await classifyContacts(
    incoming.map((record) => record.contact),
    rules,
    index,
  );
  const predicted = new Set<string>();
  let truePositives = 0;
  verdicts.forEach((verdict, at) => {
    const own = incoming[at]!;
    for (const finding of verdict.findings) {
      if (finding.ruleId !== ruleId) continue;
      const pair = pairKey(own.id, finding.crmId, sameSet);
      if (!pair || predicted.has(pair)) continue;
      predicted.add(pair);
      if (entityOf.get(finding.crmId) === own.entity) truePositives++;
    }
  });
  const truePairs = countTruePairs(crm, incoming, sameSet);
  const precision = predicted.size ? truePositives / predicted.size : 1;
  const recall = truePairs ? truePositives / truePairs : 1;
  return {
    candidatePairs: candidatePairs.size,
    truePairs,
    trueCandidatePairs,
    predictedPairs: predicted.size,
    truePositives,
    pairsCompleteness: truePairs ? trueCandidatePairs / truePairs : 1,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
  };
}

/** A record judged against itself is no pair; in one set, (a, b) and (b, a) are one pair. */
function pairKey(incomingId: string, crmId: string, sameSet: boolean): string | undefined {
  if (!sameSet) return `${incomingId}\u0000${crmId}`;
  if (incomingId === crmId) return undefined;
  return incomingId < crmId ? `${incomingId}\u0000${crmId}` : `${crmId}\u0000${incomingId}`;
}

function countTruePairs(
  crm: readonly LabelledContact[],
  incoming: readonly LabelledContact[],
  sameSet: boolean,
) {
  const sizes = (records: readonly LabelledContact[]) => {
    const count = new Map<string, number>();
    for (const record of records) count.set(record.entity, (count.get(record.entity) ?? 0) + 1);
    return count;
  };
  const left = sizes(crm);
  if (sameSet) return [...left.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);
  const right = sizes(incoming);
  return [...left].reduce((sum, [entity, n]) => sum + n * (right.get(entity) ?? 0), 0);
}

function asCrmContact(record: LabelledContact): Contact {
  return { ...record.contact, ids: { ...record.contact.ids, crmId: record.id } };
}
