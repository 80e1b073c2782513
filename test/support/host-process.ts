import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export interface HostProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** The host's peak resident memory so far (VmHWM from /proc), in MiB. */
  peakRssMiB(): number;
  /** The host's resident memory now (VmRSS from /proc), in MiB. */
  rssMiB(): number;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

// A test or benchmark that fails or is interrupted half-way must not leave hosts running.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Runs `node dist/host/cli/start.js` as `npm start` does, and waits for the URL it prints. */
export async function startHostProcess(env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<HostProcess> {
  const started = await startCrmsyncProcess(
    [join('dist', 'host', 'cli', 'start.js')],
    env,
    /crmsync is listening on (http:\/\/\S+)/,
    timeoutMs,
  );
  return { ...started, url: started.match[1]! };
}

export interface CrmsyncProcess extends Omit<HostProcess, 'url'> {
  /** What the ready line matched. */
  match: RegExpExecArray;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/**
 * Runs `node <script> …args` from the checkout and waits until its output matches `ready`
 * (the URL a host prints, the line a worker prints once it fetches jobs).
 */
export function startCrmsyncProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 15_000,
): Promise<CrmsyncProcess> {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not print ${ready} within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    let started = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = started ? null : ready.exec(output);
      if (match) {
        started = true;
        clearTimeout(timer);
        resolve({
          child,
          match,
          exited,
          output: () => output,
          peakRssMiB: () => peakRssMiB(child.pid!),
          rssMiB: () => memoryFigureMiB(child.pid!, 'VmRSS'),
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!started)
        reject(new Error(`${args.join(' ')} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** A process's peak resident memory (VmHWM) in MiB, read from /proc (Linux). */
export function peakRssMiB(pid: number): number {
  return memoryFigureMiB(pid, 'VmHWM');
}

function memoryFigureMiB(pid: number, name: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`${name}:\\s+(\\d+) kB`).exec(status);
  if (!match) throw new Error(`no ${name} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}
