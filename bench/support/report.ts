import { median } from './rounds.js';

function rounded(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
}

/** Prints one figure on a line of its own, as `name: value unit`, for people and scripts alike. */
export function figure(name: string, value: number, unit: string): void {
  process.stdout.write(`${name}: ${rounded(value)} ${unit}\n`);
}

/** The median of several rounds with their range: `name: median unit (range low–high)`. */
export function figureOfRounds(name: string, values: number[], unit: string): void {
  const low = Math.min(...values);
  const high = Math.max(...values);
  process.stdout.write(
    `${name}: ${rounded(median(values))} ${unit} (range ${rounded(low)}–${rounded(high)})\n`,
  );
}

/** BENCH_QUICK=1 runs reduced sizes so that a benchmark finishes in under a minute. */
export const quick = process.env.BENCH_QUICK === '1';

export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
