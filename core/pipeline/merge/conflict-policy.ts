/** Who wins a field both sides changed since the last sync. */
export const conflictPolicies = ['crm-wins', 'groupware-wins', 'newest-wins'] as const;
export type ConflictPolicy = (typeof conflictPolicies)[number];
export const defaultConflictPolicy: ConflictPolicy = 'crm-wins';

export type MergeSide = 'crm' | 'groupware';

/**
 * The side whose value a conflict keeps. `newest-wins` compares the contacts' `updatedAt`;
 * a side without a readable timestamp cannot claim to be newer, and a tie keeps the CRM's
 * value, as the CRM is the system of record.
 */
export function conflictWinner(
  policy: ConflictPolicy,
  updatedAt: { crm?: string | undefined; groupware?: string | undefined },
): MergeSide {
  if (policy === 'crm-wins') return 'crm';
  if (policy === 'groupware-wins') return 'groupware';
  const crm = timestamp(updatedAt.crm);
  const groupware = timestamp(updatedAt.groupware);
  if (groupware === undefined) return 'crm';
  if (crm === undefined) return 'groupware';
  return groupware > crm ? 'groupware' : 'crm';
}

function timestamp(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
