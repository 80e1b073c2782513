import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CrmsyncError } from '../../../core/index.js';

/** An upload set aside on disk, to be read once by work that outlives its request. */
export interface SpooledUpload {
  bytes(): AsyncIterable<Uint8Array>;
  discard(): void;
}

let spoolNumber = 0;

/**
 * Writes an upload to a file of its own as it arrives, chunk by chunk, so that the request
 * can be answered once the last byte is in while the work it feeds goes on: memory holds a
 * chunk or two, never the upload. Whatever fails while it is written (the upload's limit,
 * its deadline, a full disk) leaves no file behind.
 */
export async function spoolUpload(
  source: AsyncIterable<Uint8Array>,
  spoolDir: string,
): Promise<SpooledUpload> {
  mkdirSync(spoolDir, { recursive: true });
  const file = join(spoolDir, `upload-${process.pid}-${++spoolNumber}`);
  const discard = () => rmSync(file, { force: true });
  try {
    await pipeline(Readable.from(source, { objectMode: false }), createWriteStream(file));
  } catch (error) {
    discard();
    if (error instanceof CrmsyncError) throw error;
    throw new CrmsyncError(
      'CRMSYNC_ERR_INTERNAL',
      `the upload could not be set aside on disk: ${(error as Error).message}`,
      { file },
      { cause: error },
    );
  }
  return { bytes: () => createReadStream(file), discard };
}
