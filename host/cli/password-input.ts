import { CrmsyncError } from '../../core/index.js';

export interface PasswordSource {
  /** `--password-stdin`: the first line of standard input, also when it is a terminal. */
  passwordStdin?: boolean;
}

const noPassword = (why: string) =>
  new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', why, { field: 'password' });

/**
 * A password never comes from a command-line flag, where other users of the machine and the
 * shell history would see it: it is typed at a prompt that does not echo it (twice, to catch
 * a typo), or read from standard input (`--password-stdin`, or whenever that is not a terminal).
 */
export async function readPassword(source: PasswordSource, prompt: string): Promise<string> {
  const input = process.stdin;
  if (source.passwordStdin || !input.isTTY) {
    const text = await readAll(input);
    const password = text.split(/\r?\n/)[0] ?? '';
    if (password === '') throw noPassword('no password on standard input: give it on its first line');
    return password;
  }
  const first = await promptHidden(`${prompt}: `);
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw noPassword('the two passwords typed differ; nothing was changed');
  return first;
}

async function readAll(input: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal with echo off; Ctrl-C cancels. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  // Echo goes off before the prompt shows: an answer typed the moment it appears stays unseen.
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  output.write(question);
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(typed.join(''));
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(noPassword('no password given; nothing was changed'));
          return;
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed.push(char);
      }
    };
    input.on('data', onData);
  });
}
