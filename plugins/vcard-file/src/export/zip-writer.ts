import { crc32 } from 'node:zlib';

/** Where the bytes of the ZIP go; `write` resolves when more may come. */
export type ZipOutput = (chunk: Uint8Array) => Promise<void>;

const utf8NamesFlag = 0x0800;
const stored = 0;
const plainVersion = 20;
const zip64Version = 45;
const max16 = 0xffff;
const max32 = 0xffffffff;
/** The central directory is kept, and handed on, in blocks of this size. */
const blockBytes = 64 * 1024;

/**
 * A ZIP of stored (uncompressed) entries written front to back: each entry goes out as it is
 * added, and only its central directory record (about 100 bytes) stays until the end. More
 * than 65,535 entries, or an archive past 4 GiB, is written as ZIP64, which Windows Explorer,
 * macOS, 7-Zip and Info-ZIP read.
 *
 * The libraries at hand do not fit: fflate writes no ZIP64, yazl rescans every entry for each
 * one added (100,000 entries took 160 s) and zip-stream keeps 3.4 KB per entry.
 */
export class ZipWriter {
  private offset = 0;
  private readonly directory = new DirectoryArena();
  private count = 0;
  private readonly dosTime: number;
  private readonly dosDate: number;

  constructor(
    private readonly output: ZipOutput,
    time = new Date(),
  ) {
    this.dosTime = (time.getHours() << 11) | (time.getMinutes() << 5) | (time.getSeconds() >> 1);
    this.dosDate =
      (Math.max(time.getFullYear() - 1980, 0) << 9) | ((time.getMonth() + 1) << 5) | time.getDate();
  }

  async add(name: string, data: Uint8Array): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > max16) throw new Error(`a ZIP entry name is longer than ${max16} bytes`);
    const crc = crc32(data);
    const local = Buffer.alloc(30 + nameBytes.length);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(plainVersion, 4);
    local.writeUInt16LE(utf8NamesFlag, 6);
    local.writeUInt16LE(stored, 8);
    local.writeUInt16LE(this.dosTime, 10);
    local.writeUInt16LE(this.dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    nameBytes.copy(local, 30);
    const record = this.centralRecord(nameBytes, crc, data.length, this.offset);
    await this.output(Buffer.concat([local, data]));
    this.offset += local.length + data.length;
    this.directory.append(record);
    this.count++;
  }

  /** Writes the central directory and the end records; the ZIP is complete after this. */
  async end(): Promise<void> {
    const directoryOffset = this.offset;
    const count = this.count;
    const directorySize = this.directory.size;
    for (const block of this.directory.drain()) await this.output(block);
    this.offset += directorySize;
    const zip64 = count >= max16 || directorySize >= max32 || directoryOffset >= max32;
    const tail: Buffer[] = [];
    if (zip64) {
      const record = Buffer.alloc(56);
      record.writeUInt32LE(0x06064b50, 0);
      record.writeBigUInt64LE(44n, 4);
      record.writeUInt16LE(zip64Version, 12);
      record.writeUInt16LE(zip64Version, 14);
      record.writeUInt32LE(0, 16);
      record.writeUInt32LE(0, 20);
      record.writeBigUInt64LE(BigInt(count), 24);
      record.writeBigUInt64LE(BigInt(count), 32);
      record.writeBigUInt64LE(BigInt(directorySize), 40);
      record.writeBigUInt64LE(BigInt(directoryOffset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeUInt32LE(0, 4);
      locator.writeBigUInt64LE(BigInt(this.offset), 8);
      locator.writeUInt32LE(1, 16);
      tail.push(record, locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(count, max16), 8);
    end.writeUInt16LE(Math.min(count, max16), 10);
    end.writeUInt32LE(Math.min(directorySize, max32), 12);
    end.writeUInt32LE(Math.min(directoryOffset, max32), 16);
    tail.push(end);
    await this.output(Buffer.concat(tail));
  }

  private centralRecord(name: Buffer, crc: number, size: number, offset: number): Buffer {
    // Only the offset can outgrow 32 bits: a single card stays far below 4 GiB.
    const zip64 = offset >= max32;
    const extra = zip64 ? 12 : 0;
    // Not from Node's shared pool: a kept record would pin the 8 KiB slab it shares with cards.
    const record = Buffer.alloc(46 + name.length + extra);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(zip64 ? zip64Version : plainVersion, 4);
    record.writeUInt16LE(zip64 ? zip64Version : plainVersion, 6);
    record.writeUInt16LE(utf8NamesFlag, 8);
    record.writeUInt16LE(stored, 10);
    record.writeUInt16LE(this.dosTime, 12);
    record.writeUInt16LE(this.dosDate, 14);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(size, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt16LE(extra, 30);
    // Comment length, disk number, internal attributes: 0. External attributes: a plain file.
    record.writeUInt32LE(zip64 ? max32 : offset, 42);
    name.copy(record, 46);
    if (zip64) {
      record.writeUInt16LE(0x0001, 46 + name.length);
      record.writeUInt16LE(8, 48 + name.length);
      record.writeBigUInt64LE(BigInt(offset), 50 + name.length);
    }
    return record;
  }
}

/** The central directory as it grows: records packed into blocks, so 100,000 of them cost their bytes and no more. */
class DirectoryArena {
  private readonly blocks: Buffer[] = [];
  private current = Buffer.allocUnsafeSlow(blockBytes);
  private used = 0;
  size = 0;

  append(record: Buffer): void {
    if (this.used + record.length > this.current.length) {
      this.blocks.push(this.current.subarray(0, this.used));
      this.current = Buffer.allocUnsafeSlow(Math.max(blockBytes, record.length));
      this.used = 0;
    }
    record.copy(this.current, this.used);
    this.used += record.length;
    this.size += record.length;
  }

  /** The blocks in order, each given up as it is handed on. */
  *drain(): Iterable<Buffer> {
    this.blocks.push(this.current.subarray(0, this.used));
    this.current = Buffer.alloc(0);
    this.used = 0;
    while (this.blocks.length > 0) {
      const block = this.blocks.shift() as Buffer;
      if (block.length > 0) yield block;
    }
  }
}
