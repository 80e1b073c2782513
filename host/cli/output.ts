import { describeLocation, type RecordProblem } from '../../core/index.js';

/**
 * Where a command speaks: lines for people on standard output, or one JSON document with
 * `--json`. Progress goes to standard error so it never mixes into what a script reads, as a
 * bar redrawn in place on a terminal and as an occasional plain line otherwise.
 */
export class Output {
  private lastProgressLine = 0;
  private barShown = false;
  private shown: { label: string; done: number; total: number; printed: boolean } | undefined;

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

  /**
   * How far long work has come. `growing`: the total is only what is known so far (the
   * contacts read while a plan is built), so reaching it ends nothing; `endProgress` does.
   */
  progress(label: string, done: number, total: number, growing = false): void {
    const ended = !growing && done >= total;
    this.shown = { label, done, total, printed: false };
    if (this.stderr.isTTY) {
      const width = 30;
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(share * width);
      this.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      this.barShown = true;
      if (ended) this.endBar();
      return;
    }
    // Without a terminal a line per record would drown the log; one every few seconds and the last suffice.
    const now = Date.now();
    if (!ended && now - this.lastProgressLine < 2000) return;
    this.lastProgressLine = now;
    this.progressLine();
  }

  /** Ends progress whose total grew as it went: the bar's line is closed, or its last figures printed. */
  endProgress(): void {
    if (this.stderr.isTTY) this.endBar();
    else if (this.shown && !this.shown.printed) this.progressLine();
    this.shown = undefined;
  }

  private progressLine(): void {
    if (!this.shown) return;
    const { label, done, total } = this.shown;
    this.stderr.write(`${label}: ${done} of ${total}\n`);
    this.shown.printed = true;
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
