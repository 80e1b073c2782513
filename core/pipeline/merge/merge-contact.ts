import { type Contact, personName } from '../../domain/contact.js';
import type { ContactJson } from '../../domain/contact-json.js';
import {
  crmOnlyScalars,
  type FieldSupport,
  type ScalarField,
  scalarFields,
} from '../../ports/field-support.js';
import type { FieldConflict } from '../plan.js';
import { type ConflictPolicy, conflictWinner, type MergeSide } from './conflict-policy.js';
import { type ListElement, listKinds } from './list-kinds.js';
import { mergeList, project, sameElements } from './list-merge.js';
import { isBlank, sameScalar, threeWay } from './three-way.js';

/** The fields both sides keep and sync merges: all but the CRM's own (`crmOnlyScalars`). */
export const mergedScalars: readonly ScalarField[] = scalarFields.filter(
  (field) => !(crmOnlyScalars as readonly string[]).includes(field),
);

/** A contact as a baseline holds it: any contact, its photo known by hash only. */
export type BaselineContact = Omit<Contact, 'photo'> & { photo?: { mediaType: string; hash?: string } };

export interface MergeInput {
  /** The contact as both sides agreed on it at the last sync; absent for a pair never synced. */
  baseline?: BaselineContact | undefined;
  crm: Contact;
  groupware: Contact;
  support: { crm: FieldSupport; groupware: FieldSupport };
  policy: ConflictPolicy;
}

export interface ContactMerge {
  /** Each field the CRM receives, with the value it receives (`null`: removed). */
  toCrm: Record<string, unknown>;
  toGroupware: Record<string, unknown>;
  conflicts: FieldConflict[];
  /** Fields changed on one side that the other side cannot hold: kept where they are. */
  cannotHold: { field: string; side: MergeSide }[];
  /** The CRM contact as it is to be written (equal to the input when `toCrm` is empty). */
  crm: Contact;
  groupware: Contact;
  /** What both sides agree on now, including what only one side can hold. */
  baseline: ContactJson;
}

const sides: readonly MergeSide[] = ['crm', 'groupware'];

/**
 * The three-way merge of one linked pair, field by field against the baseline: a field
 * changed on one side reaches the other, changed on both is a conflict the policy decides,
 * and a field a side cannot hold is never taken as deleted there. Pure: it reads and writes
 * nothing.
 */
export function mergeContact(input: MergeInput): ContactMerge {
  const { support, policy } = input;
  const baseline = input.baseline ?? { emails: [], phones: [], addresses: [], categories: [], ids: {} };
  const winner = () =>
    conflictWinner(policy, { crm: input.crm.updatedAt, groupware: input.groupware.updatedAt });
  const seen = {
    crm: withOwnDisplayName(input.crm),
    groupware: withOwnDisplayName(input.groupware),
  };
  const base = withOwnDisplayName(baseline);
  const conflicts: FieldConflict[] = [];
  const cannotHold: ContactMerge['cannotHold'] = [];
  const merged: Record<string, unknown> = {};
  // A display name that only repeated the old name parts is left for the writer to derive anew.
  const written = { crm: { ...seen.crm } as Contact, groupware: { ...seen.groupware } as Contact };
  const changes: Record<MergeSide, Record<string, unknown>> = { crm: {}, groupware: {} };
  const holds = (side: MergeSide, field: ScalarField) => support[side].scalars.includes(field);

  for (const field of mergedScalars) {
    const value = (side: MergeSide) =>
      holds(side, field) ? seen[side][field] : (base as Record<string, unknown>)[field];
    const outcome = threeWay(base[field], value('crm'), value('groupware'), sameScalar, winner);
    merged[field] = isBlank(outcome.value) ? undefined : outcome.value;
    if (outcome.conflict)
      conflicts.push({
        field,
        baseline: base[field],
        crm: seen.crm[field],
        groupware: seen.groupware[field],
        resolvedTo: outcome.conflict.winner,
      });
    for (const side of sides) {
      const target = written[side] as unknown as Record<string, unknown>;
      if (!holds(side, field)) {
        if (outcome.changedOn !== 'none' && outcome.changedOn !== side && !isBlank(merged[field]))
          cannotHold.push({ field, side });
        continue;
      }
      if (sameScalar(seen[side][field], merged[field])) continue;
      changes[side][field] = merged[field] ?? null;
      if (merged[field] === undefined) delete target[field];
      else target[field] = merged[field];
    }
  }

  const mergedLists: Record<string, ListElement[]> = {};
  for (const kind of listKinds) {
    const lists = {
      baseline: kind.read(base),
      crm: kind.read(seen.crm),
      groupware: kind.read(seen.groupware),
    };
    const result = mergeList(kind, lists, support, winner);
    mergedLists[kind.field] = result.merged;
    conflicts.push(...result.conflicts);
    for (const side of sides) {
      const held = project(kind, result.merged, support[side]);
      const current = project(kind, lists[side], support[side]);
      if (held.length < result.merged.length && !sameElements(kind, result.merged, lists.baseline))
        cannotHold.push({ field: kind.field, side });
      if (sameElements(kind, held, current)) continue;
      changes[side][kind.field] = kind.write(held);
      (written[side] as unknown as Record<string, unknown>)[kind.field] = kind.write(held);
    }
  }

  const photo = mergePhoto(input, base, winner, conflicts, cannotHold);
  for (const side of sides) {
    if (!support[side].photo || (input[side].photo?.hash ?? undefined) === (photo.value?.hash ?? undefined))
      continue;
    changes[side].photo = photo.value?.hash ?? null;
    if (photo.value) written[side].photo = photo.value;
    else delete written[side].photo;
  }

  const agreed = {
    ...Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)),
    ids: { ...(input.crm.ids.crmId ? { crmId: input.crm.ids.crmId } : {}) },
  } as ContactJson;
  for (const kind of listKinds)
    (agreed as unknown as Record<string, unknown>)[kind.field] = kind.write(mergedLists[kind.field]!);
  if (input.crm.partnerId) agreed.partnerId = input.crm.partnerId;
  if (photo.value?.hash) agreed.photo = { mediaType: photo.value.mediaType, hash: photo.value.hash };

  return {
    toCrm: changes.crm,
    toGroupware: changes.groupware,
    conflicts,
    cannotHold,
    crm: written.crm,
    groupware: written.groupware,
    baseline: agreed,
  };
}

/** Photos compare by content hash only; a side without photos never changes or loses one. */
function mergePhoto(
  input: MergeInput,
  base: BaselineContact,
  winner: () => MergeSide,
  conflicts: FieldConflict[],
  cannotHold: ContactMerge['cannotHold'],
): { value: Contact['photo'] | BaselineContact['photo'] } {
  const hashOf = (side: MergeSide) =>
    input.support[side].photo ? input[side].photo?.hash : base.photo?.hash;
  const outcome = threeWay(base.photo?.hash, hashOf('crm'), hashOf('groupware'), sameScalar, winner);
  if (outcome.conflict)
    conflicts.push({
      field: 'photo',
      baseline: base.photo?.hash,
      crm: input.crm.photo?.hash,
      groupware: input.groupware.photo?.hash,
      resolvedTo: outcome.conflict.winner,
    });
  // Of the photos with the kept hash, one whose bytes were read names its media type best.
  const candidates = [input.crm.photo, input.groupware.photo, base.photo].filter(
    (photo) => photo?.hash !== undefined && photo.hash === outcome.value,
  );
  const from = candidates.find((photo) => photo && 'bytes' in photo && photo.bytes) ?? candidates[0];
  for (const side of sides)
    if (!input.support[side].photo && outcome.changedOn !== 'none' && outcome.changedOn !== side && from)
      cannotHold.push({ field: 'photo', side });
  return { value: isBlank(outcome.value) ? undefined : from };
}

/**
 * The display name when a side insists on its own; one that merely repeats the name parts
 * (as a vCard's FN does) is left out, so a renamed contact is not held back by a stale one.
 */
function withOwnDisplayName<T extends BaselineContact>(contact: T): T {
  if (!contact.displayName || contact.displayName !== derivedDisplayName(contact)) return contact;
  const { displayName: _derived, ...rest } = contact;
  return rest as T;
}

export function derivedDisplayName(contact: BaselineContact): string {
  return personName(contact);
}

/** A contact as a side can hold it: the fields and elements beyond its field support left out. */
export function heldBy(contact: Contact, support: FieldSupport): Contact {
  const held = { ...contact } as unknown as Record<string, unknown>;
  for (const field of mergedScalars) if (!support.scalars.includes(field)) delete held[field];
  for (const kind of listKinds) held[kind.field] = kind.write(project(kind, kind.read(contact), support));
  if (!support.photo) delete held.photo;
  return held as unknown as Contact;
}
