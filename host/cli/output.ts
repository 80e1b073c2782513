import { describeLocation, type RecordProblem } from '../../core/index.js';

/**
 * Where a command speaks: lines for people on standard output, or one JSON document with
 * `--json`. Progress goes to standard error so it never mixes into what a script reads, as a
 * bar redrawn in place on a terminal and as an occasional plain line otherwise.
 */
export class Output {
  private lastProgressLine = 0;
  private barShown = false;

  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /** A line for a person; silent with `--json`. */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** The machine-readable result; only with `--json`. */
  result(value: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  warn(text: string): void {
    this.endBar();
    this.stderr.write(`${text}\n`);
  }

  progress(label: string, done: number, total: number): void {
    if (this.stderr.isTTY) {
      const width = 30;
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(share * width);
      this.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      this.barShown = true;
      if (done >= total) this.endBar();
      return;
    }
    // Without a terminal a line per record would drown the log; one every few seconds and the last suffice.
    const now = Date.now();
    if (done < total && now - this.lastProgressLine < 2000) return;
    this.lastProgressLine = now;
    this.stderr.write(`${label}: ${done} of ${total}\n`);
  }

  private endBar(): void {
    if (!this.barShown) return;
    this.stderr.write('\n');
    this.barShown = false;
  }
}

export function describeProblem(problem: RecordProblem): string {
  const where = describeLocation(problem.location);
  return where ? `${problem.message} (${where})` : problem.message;
}

/** A problem as `--json` shows it: the code, the message and where, field by field. */
export function problemJson(problem: RecordProblem): Record<string, unknown> {
  return { code: problem.code, message: problem.message, ...problem.location };
}
