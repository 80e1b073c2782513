import type { Side } from '../../store/state-store.js';

/** The share of one side's linked contacts a run may delete without a person confirming it. */
export const defaultMaxDeletionShare = 0.1;

export interface DeletionCount {
  /** Linked contacts of the account before the run. */
  linked: number;
  /** Linked contacts the run removes from each side or finds removed there. */
  deletions: Record<Side, number>;
}

export interface DeletionVerdict {
  stop: boolean;
  /** One sentence per side that tripped the guard, for the plan's headline. */
  reasons: string[];
}

/**
 * Whether a run must stop and wait for confirmation before it deletes: when it would delete
 * more than `maxShare` of one side's linked contacts, or when one side suddenly looks empty
 * while links exist (a changed path, an emptied mailbox) — both are far likelier mistakes
 * than a user's intent, and both would cost data on the other side.
 */
export function checkDeletions(count: DeletionCount, maxShare = defaultMaxDeletionShare): DeletionVerdict {
  const reasons: string[] = [];
  if (count.linked === 0) return { stop: false, reasons };
  for (const side of ['crm', 'groupware'] as const) {
    const deletions = count.deletions[side];
    const name = side === 'crm' ? 'the CRM' : 'the groupware';
    if (deletions >= count.linked) {
      reasons.push(`every one of the ${count.linked} linked contacts would go from ${name}: it looks empty`);
    } else if (deletions > count.linked * maxShare) {
      const percent = Math.round((deletions / count.linked) * 1000) / 10;
      reasons.push(
        `${deletions} of ${count.linked} linked contacts (${percent} %) would go from ${name}, more than the ${Math.round(maxShare * 100)} % allowed without confirmation`,
      );
    }
  }
  return { stop: reasons.length > 0, reasons };
}
