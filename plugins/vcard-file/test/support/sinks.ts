import type { ExportFile, ExportSink } from '../../../../core/index.js';

/** A sink that keeps what it is sent, and checks that it is told the file before any byte. */
export class MemorySink implements ExportSink {
  file: ExportFile | undefined;
  readonly chunks: Uint8Array[] = [];

  start(file: ExportFile): void {
    if (this.file) throw new Error('the sink was started twice');
    this.file = file;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (!this.file) throw new Error('the sink got bytes before it was started');
    this.chunks.push(chunk);
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }
}

/** An upload as it arrives: the bytes in chunks of `size`. */
export async function* arriving(bytes: Uint8Array | string, size = 4096): AsyncIterable<Uint8Array> {
  const all = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  for (let offset = 0; offset < all.length; offset += size) yield all.subarray(offset, offset + size);
}
