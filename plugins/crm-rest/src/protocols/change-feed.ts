import { type ContactChange, CrmsyncError, type Fetched } from '../../../../core/index.js';
import { type CrmRecords, label } from '../crm-records.js';
import { listAt } from '../http/list-at.js';
import { getAt } from '../mapping/json-pointer.js';
import { MappingProblem } from '../mapping/mapping-problem.js';

/**
 * The CRM's change feed, page by page: upserts, deletions and a checkpoint after each page, so
 * a consumer that stores the last checkpoint never sees a change twice.
 */
export async function* changesSince(crm: CrmRecords, cursor?: string): AsyncIterable<Fetched<ContactChange>> {
  const endpoint = crm.require('changes');
  const where = label(endpoint);
  let position = cursor;
  for (;;) {
    const previous = position;
    const query: [string, string][] = Object.entries(endpoint.fixedParams ?? {});
    if (position !== undefined && position !== '') query.push([endpoint.cursorParam, position]);
    if (endpoint.sizeParam) query.push([endpoint.sizeParam, String(endpoint.size ?? 500)]);
    const { status, body } = await crm.http.json({
      method: 'GET',
      path: endpoint.path,
      query,
      endpoint: where,
      accept: [410],
    });
    if (status === 410) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_CURSOR_EXPIRED',
        'the CRM no longer accepts the change cursor (HTTP 410: it was reset, restored or the cursor expired); a full resync is needed',
        { endpoint: where, field: endpoint.cursorParam },
      );
    }
    const items = listAt(body, endpoint.items, 'the change feed', where);
    for (const [index, item] of items.entries()) {
      const kind = getAt(item, endpoint.kind);
      const rawId = getAt(item, endpoint.id);
      const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
      if (typeof kind === 'string' && endpoint.deletedValues.includes(kind)) {
        if (id === undefined) {
          const problem = new MappingProblem(
            'a deletion without id',
            'ids.crmId',
            `${endpoint.items}/${index}${endpoint.id}`,
          );
          yield { ok: false, problem: crm.problem(problem, where) };
        } else yield { ok: true, value: { type: 'deleted', id } };
        continue;
      }
      const record = getAt(item, endpoint.record);
      const mapped = crm.contact(record, where, id ?? crm.contacts.idOf(record));
      yield mapped.ok ? { ok: true, value: { type: 'upserted', contact: mapped.value } } : mapped;
    }
    const next = getAt(body, endpoint.nextCursor);
    if (typeof next === 'string' || typeof next === 'number') {
      position = String(next);
      yield { ok: true, value: { type: 'checkpoint', cursor: position } };
    }
    const hasMore = endpoint.hasMore ? getAt(body, endpoint.hasMore) === true : items.length > 0;
    // An empty page or a cursor that does not move would otherwise ask the same question forever.
    if (!hasMore || items.length === 0 || next === undefined || next === null || String(next) === previous)
      return;
  }
}
