/**
 * Settles with `work`, or rejects with `onTimeout()` once `ms` have passed. The work itself
 * goes on (a promise cannot be cancelled); the caller must ignore what it does afterwards.
 */
export function withTimeLimit<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
