import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Garbage left by one contender would otherwise be collected while the next one is timed.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

export interface Contender {
  name: string;
  /** Runs once; the benchmark checks its result itself. */
  run(): Promise<void> | void;
}

/**
 * Times contenders in alternating rounds over the same input: the order flips every round
 * and the garbage is collected before each run, so neither pays for the other's warm-up
 * or garbage, and a burst of load on the machine hits both. Returns each one's seconds
 * per round, after `warmUp` untimed rounds.
 */
export async function alternatingRounds(
  contenders: Contender[],
  rounds: number,
  warmUp = 1,
): Promise<Map<string, number[]>> {
  const seconds = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = 0; round < warmUp + rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      collect();
      const start = performance.now();
      await contender.run();
      const elapsed = (performance.now() - start) / 1000;
      if (round >= warmUp) seconds.get(contender.name)?.push(elapsed);
    }
  }
  return seconds;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
