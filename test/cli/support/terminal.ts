import { execFile } from 'node:child_process';

/**
 * Runs a command on a pseudo-terminal (Python's pty module), as a person at a terminal would:
 * after each prompt appears, the next answer is typed and Enter pressed. Answers what the
 * terminal showed and the exit code. The answers travel in the environment, never on a
 * command line.
 */
const driver = `
import json, os, pty, select, sys, time
answers = json.loads(os.environ.pop('TERMINAL_ANSWERS'))
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
shown = b''
def read(until=None, timeout=90):
    global shown
    deadline = time.time() + timeout
    while until is None or until.encode() not in shown:
        if time.time() > deadline:
            raise SystemExit('no prompt ' + repr(until) + ' in: ' + shown.decode(errors='replace'))
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        shown += chunk
for prompt, answer in answers:
    read(prompt)
    os.write(fd, answer.encode() + b'\\r')
read()
_, status = os.waitpid(pid, 0)
sys.stdout.write(json.dumps({'shown': shown.decode(errors='replace'), 'code': os.waitstatus_to_exitcode(status)}))
`;

export function onTerminal(
  command: readonly string[],
  answers: readonly [prompt: string, answer: string][],
  env: NodeJS.ProcessEnv,
): Promise<{ shown: string; code: number }> {
  return new Promise((resolve, reject) =>
    execFile(
      'python3',
      ['-c', driver, ...command],
      { env: { ...process.env, ...env, TERMINAL_ANSWERS: JSON.stringify(answers) }, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      },
    ),
  );
}
