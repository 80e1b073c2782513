import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
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

/** A sink that writes to a file, waiting whenever the disk falls behind. */
export class FileSink implements ExportSink {
  file: ExportFile | undefined;
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  start(file: ExportFile): void {
    this.file = file;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}
