import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CrmsyncProcess, startCrmsyncProcess } from '../../support/host-process.js';

const cliPath = join('dist', 'host', 'cli', 'crmsync.js');

/**
 * Starts `crmsync …args` as a user would leave it running (`serve`, `sync --watch`), and
 * resolves once its output matches `ready`. A process a test forgets is killed when the test
 * run ends.
 */
export function startCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<CrmsyncProcess> {
  return startCrmsyncProcess([cliPath, ...args], env, ready, timeoutMs);
}

/**
 * Waits until the process's output from `from` on (a character offset) matches `pattern`, and
 * answers the match with the offset just after it, so the next wait reads only what follows.
 * Fails with everything the process printed when it ends or takes longer than `timeoutMs`.
 */
export async function nextOutput(
  running: CrmsyncProcess,
  pattern: RegExp,
  from: number,
  timeoutMs = 60_000,
): Promise<{ match: RegExpExecArray; end: number }> {
  // Output still in the pipes may arrive just after the process has ended.
  let endedAt: number | undefined;
  void running.exited.then(() => {
    endedAt = Date.now();
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const output = running.output();
    const match = pattern.exec(output.slice(from));
    if (match) return { match, end: from + match.index + match[0].length };
    if (endedAt !== undefined && Date.now() - endedAt > 500)
      throw new Error(`crmsync ended before it printed ${pattern}:\n${output}`);
    if (Date.now() > deadline)
      throw new Error(`crmsync did not print ${pattern} within ${timeoutMs} ms:\n${output}`);
    await sleep(50);
  }
}
