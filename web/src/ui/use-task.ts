import { useCallback, useRef, useState } from 'preact/hooks';

/**
 * An action the user started: whether it is running and what went wrong. Starting it again
 * clears the last error; an answer that arrives after the page moved on is dropped.
 */
export function useTask() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const generation = useRef(0);
  const run = useCallback(async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    const mine = ++generation.current;
    setBusy(true);
    setError(undefined);
    try {
      return await work();
    } catch (failure) {
      if (mine === generation.current) setError(failure);
      return undefined;
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
