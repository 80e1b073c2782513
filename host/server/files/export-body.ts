import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Tokenizer, TokenParser, TokenType } from '@streamparser/json';
import { type Contact, CrmsyncError, contactFromJson, type HostLimits } from '../../../core/index.js';
import { timedTurns } from './json-answer.js';
import { limitedBytes } from './request-bytes.js';

/** The contacts of an export request, checked and set aside on disk, ready to be read again. */
export interface SpooledContacts {
  count: number;
  contacts(): AsyncIterable<Contact>;
  discard(): void;
}

// A contact is an object of arrays of objects: anything deeper is not a contact.
const maxDepth = 8;
const sliceBytes = 8 * 1024;
let spoolNumber = 0;

const invalid = (message: string, pointer: string) =>
  new CrmsyncError('CRMSYNC_ERR_EXPORT_INVALID', message, { pointer });

/**
 * Reads `{ "contacts": [ … ] }` as it arrives, without ever holding more than one contact:
 * each is checked against the contact schema (a wrong value is a 400 naming its JSON pointer)
 * and written as one line to a spool file. Only when the whole body is good does the export
 * start, so a bad contact or one too many (413) costs nothing, and nothing is half written.
 */
export async function spoolExportBody(
  body: AsyncIterable<Uint8Array | string>,
  limits: HostLimits,
  spoolDir: string,
): Promise<SpooledContacts> {
  mkdirSync(spoolDir, { recursive: true });
  const file = join(spoolDir, `export-${process.pid}-${++spoolNumber}.ndjson`);
  const out = createWriteStream(file);
  let count = 0;
  let failure: Error | undefined;
  // A spool that cannot be written (a full disk) fails the request; one destroyed while a write
  // was pending (a refused body) reports that too, and neither may go unheard and stop the host.
  let spoolFailure: Error | undefined;
  out.on('error', (error) => {
    spoolFailure ??= new CrmsyncError(
      'CRMSYNC_ERR_INTERNAL',
      `the export could not be set aside on disk: ${error.message}`,
      { file },
      { cause: error },
    );
  });
  const discard = () => {
    out.destroy();
    rmSync(file, { force: true });
  };
  let depth = 0;
  let sawRoot = false;
  let rootKey: string | undefined;
  let lastRootString: string | undefined;
  let contactsSeen = false;

  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: ['$.contacts.*'], keepStack: false });
  const pending: string[] = [];
  tokenizer.onToken = (info) => {
    if (failure) return;
    const { token, value } = info;
    if (!sawRoot) {
      sawRoot = true;
      if (token !== TokenType.LEFT_BRACE) throw invalid('the body must be { "contacts": [ … ] }', '');
    }
    if (token === TokenType.STRING && typeof value === 'string' && value.length > limits.exportValueChars) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_TOO_LARGE',
        `a value is longer than ${limits.exportValueChars} characters; raise host.limits.exportValueChars`,
        { pointer: `/contacts/${count}` },
      );
    }
    if (depth === 1) {
      if (token === TokenType.STRING) lastRootString = value as string;
      else if (token === TokenType.COLON) {
        rootKey = lastRootString;
        if (rootKey !== 'contacts') {
          throw invalid(
            `unknown property "${rootKey}"; the body must be { "contacts": [ … ] }`,
            `/${rootKey}`,
          );
        }
      } else if (rootKey === 'contacts' && token !== TokenType.COMMA && token !== TokenType.RIGHT_BRACE) {
        if (token !== TokenType.LEFT_BRACKET) throw invalid('"contacts" must be an array', '/contacts');
        contactsSeen = true;
      }
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      depth++;
      if (depth > maxDepth) throw invalid(`nested deeper than ${maxDepth} levels`, `/contacts/${count}`);
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth--;
    parser.write(info);
  };
  parser.onValue = ({ value }) => {
    const pointer = `/contacts/${count}`;
    count++;
    if (count > limits.exportContacts) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_TOO_LARGE',
        `an export takes at most ${limits.exportContacts} contacts; split it, or raise host.limits.exportContacts`,
        { pointer },
      );
    }
    contactFromJson(value, pointer);
    pending.push(`${JSON.stringify(value)}\n`);
  };
  const fail = (error: Error) => {
    failure ??=
      error instanceof CrmsyncError
        ? error
        : invalid(`not valid JSON: ${error.message}`, `/contacts/${count}`);
  };
  tokenizer.onError = fail;
  parser.onError = fail;
  // The parser ends itself after the root value; anything after it is an error the tokenizer reports.
  parser.onEnd = () => undefined;

  const turn = timedTurns();
  try {
    for await (const chunk of limitedBytes(body, limits.exportBodyBytes, 'host.limits.exportBodyBytes')) {
      // In slices, with a turn of the event loop between them now and then: a chunk of tiny
      // contacts holds tens of thousands of them, and /health must still answer meanwhile.
      for (let offset = 0; offset < chunk.length; offset += sliceBytes) {
        try {
          tokenizer.write(chunk.subarray(offset, offset + sliceBytes));
        } catch (error) {
          fail(error as Error);
        }
        if (failure) throw failure;
        if (spoolFailure) throw spoolFailure;
        if (pending.length && !out.write(pending.splice(0).join(''))) await settled(out, 'drain');
        if (spoolFailure) throw spoolFailure;
        await turn();
      }
    }
    try {
      tokenizer.end();
    } catch (error) {
      fail(error as Error);
    }
    if (failure) throw failure;
    if (!parser.isEnded) throw invalid('the body ends before its JSON does', `/contacts/${count}`);
    if (!contactsSeen) throw invalid('the body must be { "contacts": [ … ] }', '/contacts');
    out.end(pending.splice(0).join(''));
    await settled(out, 'finish');
    if (spoolFailure) throw spoolFailure;
  } catch (error) {
    discard();
    throw error;
  }
  return {
    count,
    contacts: () => readSpool(file),
    discard,
  };
}

/** Waits for `event`, or for the spool to close or fail (its error is then in `spoolFailure`). */
async function settled(out: NodeJS.WritableStream, event: 'drain' | 'finish'): Promise<void> {
  const done = new AbortController();
  const waits = [event, 'close'].map((name) =>
    once(out, name, { signal: done.signal }).catch(() => undefined),
  );
  await Promise.race(waits);
  done.abort(); // removes the listener still waiting, so none pile up over a long body
}

async function* readSpool(file: string): AsyncIterable<Contact> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let index = 0;
  for await (const line of lines) {
    if (line) yield contactFromJson(JSON.parse(line), `/contacts/${index}`);
    index++;
  }
}
