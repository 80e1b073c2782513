/** Prints one figure on a line of its own, as `name: value unit`, for people and scripts alike. */
export function figure(name: string, value: number, unit: string): void {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
  process.stdout.write(`${name}: ${rounded} ${unit}\n`);
}

/** BENCH_QUICK=1 runs reduced sizes so that a benchmark finishes in under a minute. */
export const quick = process.env.BENCH_QUICK === '1';

export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
