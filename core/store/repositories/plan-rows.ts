import type { PlanHeader, PlanItem } from '../../pipeline/plan.js';
import type { PlanItemRow, PlanRow } from '../schema.js';
import { fromJson, toJson } from '../store-context.js';

/**
 * An item is kept whole as JSON; the fields that filters, counts and garbage collection ask
 * about are copied into columns beside it so no query has to open the JSON.
 */
export function rowFromItem(planId: string, item: PlanItem): PlanItemRow {
  return {
    plan_id: planId,
    seq: item.seq,
    selected: item.selected ? 1 : 0,
    action: item.action,
    reason: item.reason,
    verdict: item.duplicate?.verdict ?? null,
    outcome_state: item.outcome?.state ?? null,
    crm_photo_hash: item.crm?.photo?.hash ?? null,
    groupware_photo_hash: item.groupware?.photo?.hash ?? null,
    item: toJson(item),
  };
}

export function itemFromRow(row: Pick<PlanItemRow, 'item'>): PlanItem {
  return fromJson<PlanItem>(row.item);
}

export function headerFromRow(row: PlanRow): PlanHeader {
  const header: PlanHeader = {
    id: row.id,
    kind: row.kind as PlanHeader['kind'],
    accountId: row.account_id,
    status: row.status as PlanHeader['status'],
    options: fromJson<Record<string, unknown>>(row.options),
    summary: fromJson<Record<string, unknown>>(row.summary),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  if (row.owner_id !== null) header.ownerId = row.owner_id;
  return header;
}

export function rowFromHeader(header: PlanHeader): PlanRow {
  return {
    id: header.id,
    kind: header.kind,
    account_id: header.accountId,
    status: header.status,
    options: toJson(header.options),
    summary: toJson(header.summary),
    created_at: header.createdAt,
    updated_at: header.updatedAt,
    owner_id: header.ownerId ?? null,
  };
}
