import { setImmediate as nextTurn } from 'node:timers/promises';

// Every so many items the answer gives the event loop a turn, so /health and other requests
// are served while a large answer is produced.
const itemsPerTurn = 200;

/** Items of an array written as JSON one at a time, yielding to the event loop now and then. */
export async function* jsonArrayItems<T>(items: AsyncIterable<T> | Iterable<T>): AsyncIterable<string> {
  let index = 0;
  for await (const item of items) {
    yield `${index > 0 ? ',' : ''}${JSON.stringify(item)}`;
    if (++index % itemsPerTurn === 0) await nextTurn();
  }
}

/** A turn of the event loop every `itemsPerTurn` calls. */
export function turnTaker(): () => Promise<void> | undefined {
  let calls = 0;
  return () => (++calls % itemsPerTurn === 0 ? nextTurn() : undefined);
}

/**
 * A turn of the event loop once `budgetMs` of work has gone by since the last one: for loops
 * whose steps differ in cost (a chunk of a request body), where counting steps says little.
 */
export function timedTurns(budgetMs = 15): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < budgetMs) return undefined;
    return nextTurn().then(() => {
      since = performance.now();
    });
  };
}
