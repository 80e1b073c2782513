import type { StateScope } from '../store/state-store.js';
import { snapshotOf } from './snapshot.js';
import type { DraftItem, FlowStages, StageContext } from './stages.js';

/** Items that pass through the stages together: bounded memory, and few round trips to the index. */
const batchSize = 500;

/** Progress is told after this many contacts read, besides after each batch classified. */
const readProgressEvery = 100;

/**
 * Runs a flow's stages over everything its select stage yields, batch by batch, and stores
 * the items: photos go to the blobs and the items keep only their hash. Answers the number of
 * items stored. `onProgress` hears how many contacts were read and how many of them were
 * classified and stored; how many there will be is known only at the end.
 */
export async function buildPlan<C extends StageContext>(
  stages: FlowStages<C>,
  context: C,
  onProgress?: (progress: { read: number; classified: number }) => void,
): Promise<number> {
  let seq = 0;
  let classified = 0;
  let batch: DraftItem[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await stages.match.run(batch, context);
    await stages.dedupe.run(batch, context);
    await stages.assign.run(batch, context);
    await storeItems(batch, context.plan.id, context.state);
    classified += batch.length;
    batch = [];
    onProgress?.({ read: seq, classified });
  };
  onProgress?.({ read: 0, classified: 0 });
  for await (const draft of stages.select.select(context)) {
    draft.item.seq = seq++;
    batch.push(draft);
    if (batch.length >= batchSize) await flush();
    else if (seq % readProgressEvery === 0) onProgress?.({ read: seq, classified });
  }
  await flush();
  return seq;
}

async function storeItems(batch: DraftItem[], planId: string, state: StateScope): Promise<void> {
  for (const draft of batch) {
    for (const side of ['crm', 'groupware'] as const) {
      const contact = draft[side];
      if (!contact) continue;
      if (contact.photo?.bytes) await state.blobs.put(contact.photo.mediaType, contact.photo.bytes);
      draft.item[side] = snapshotOf(contact);
    }
  }
  await state.plans.addItems(
    planId,
    batch.map((draft) => draft.item),
  );
}
