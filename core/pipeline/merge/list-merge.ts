import type { FieldSupport } from '../../ports/field-support.js';
import type { FieldConflict } from '../plan.js';
import type { MergeSide } from './conflict-policy.js';
import type { ListElement, ListKind } from './list-kinds.js';
import { sameScalar, threeWay } from './three-way.js';

/** Elements by identity; a repeated identity gets its own key, so no element is lost to another. */
function keyed(kind: ListKind, elements: readonly ListElement[]): Map<string, ListElement> {
  const map = new Map<string, ListElement>();
  const seen = new Map<string, number>();
  for (const element of elements) {
    const identity = kind.identity(element);
    const n = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, n);
    map.set(n === 1 ? identity : `${identity}#${n}`, element);
  }
  return map;
}

/** The elements a side keeps of a list: the first ones of each bucket up to its capacity. */
export function project(
  kind: ListKind,
  elements: readonly ListElement[],
  support: FieldSupport,
): ListElement[] {
  const counts = new Map<string, number>();
  const held: ListElement[] = [];
  for (const element of elements) {
    const bucket = kind.bucket(element);
    const count = counts.get(bucket) ?? 0;
    if (count >= kind.capacity(support, bucket)) continue;
    counts.set(bucket, count + 1);
    const kept: ListElement = {};
    for (const attribute of kind.attributes)
      if (kind.holdsAttribute(support, attribute) && element[attribute] !== undefined)
        kept[attribute] = element[attribute];
    held.push(kept);
  }
  return held;
}

export function sameElements(kind: ListKind, a: readonly ListElement[], b: readonly ListElement[]): boolean {
  const left = keyed(kind, a);
  const right = keyed(kind, b);
  if (left.size !== right.size) return false;
  for (const [key, element] of left) if (!sameElement(kind, element, right.get(key))) return false;
  return true;
}

function sameElement(kind: ListKind, a: ListElement | undefined, b: ListElement | undefined): boolean {
  if (!a || !b) return a === b;
  return kind.attributes.every((attribute) => sameScalar(a[attribute], b[attribute]));
}

export interface ListMerge {
  merged: ListElement[];
  conflicts: FieldConflict[];
}

/**
 * Merges a list element by element against the baseline. An element missing on a side that
 * could not have held it (beyond its capacity, or of a type it lacks) was not deleted there:
 * that side is taken to still have the baseline's element. Likewise an address part a side
 * cannot hold is taken as unchanged there.
 */
export function mergeList(
  kind: ListKind,
  lists: { baseline: readonly ListElement[]; crm: readonly ListElement[]; groupware: readonly ListElement[] },
  support: { crm: FieldSupport; groupware: FieldSupport },
  winner: () => MergeSide,
): ListMerge {
  const baseline = keyed(kind, lists.baseline);
  const sides = { crm: keyed(kind, lists.crm), groupware: keyed(kind, lists.groupware) };
  const heldBefore = {
    crm: new Set(keyed(kind, project(kind, lists.baseline, support.crm)).keys()),
    groupware: new Set(keyed(kind, project(kind, lists.baseline, support.groupware)).keys()),
  };
  const order = [...new Set([...sides.crm.keys(), ...sides.groupware.keys(), ...baseline.keys()])];
  const merged: ListElement[] = [];
  const conflicts: FieldConflict[] = [];
  for (const key of order) {
    const base = baseline.get(key);
    const view = (side: MergeSide): ListElement | undefined => {
      const element = sides[side].get(key);
      if (!element) return heldBefore[side].has(key) ? undefined : base;
      if (!base) return element;
      const seen = { ...element };
      for (const attribute of kind.attributes)
        if (!kind.holdsAttribute(support[side], attribute)) seen[attribute] = base[attribute];
      return seen;
    };
    const crm = view('crm');
    const groupware = view('groupware');
    const label = `${kind.field}[${key}]`;
    if (crm && groupware) {
      merged.push(mergeAttributes(kind, label, base, crm, groupware, winner, conflicts));
      continue;
    }
    const present = crm ?? groupware;
    if (!present) continue;
    // Added on one side, or still there on one side and deleted on the other.
    if (!base) {
      merged.push(present);
      continue;
    }
    if (sameElement(kind, present, base)) continue;
    const side = winner();
    conflicts.push({ field: label, baseline: base, crm, groupware, resolvedTo: side });
    const kept = side === 'crm' ? crm : groupware;
    if (kept) merged.push(kept);
  }
  return { merged, conflicts };
}

function mergeAttributes(
  kind: ListKind,
  label: string,
  base: ListElement | undefined,
  crm: ListElement,
  groupware: ListElement,
  winner: () => MergeSide,
  conflicts: FieldConflict[],
): ListElement {
  const element: ListElement = {};
  for (const attribute of kind.attributes) {
    const outcome = threeWay(base?.[attribute], crm[attribute], groupware[attribute], sameScalar, winner);
    if (outcome.value !== undefined) element[attribute] = outcome.value;
    if (outcome.conflict) {
      conflicts.push({
        field: `${label}.${attribute}`,
        baseline: base?.[attribute],
        crm: crm[attribute],
        groupware: groupware[attribute],
        resolvedTo: outcome.conflict.winner,
      });
    }
  }
  return element;
}
