import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Contact, Fetched } from '../../../../core/index.js';
import { readVCards, readVCardsSync } from '../../src/read/index.js';

const card30 = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');

function jpegOf(bytes: number): Buffer {
  const photo = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) photo[i] = (i * 131 + 7) % 251;
  photo.set([0xff, 0xd8, 0xff, 0xe0]);
  return photo;
}

const folded = (photo: Buffer) => photo.toString('base64').replace(/(.{74})/g, '$1\r\n ');

async function* inChunks(text: string, size = 64 * 1024): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

describe('The vCard reader and a large photo', () => {
  it('lets the event loop turn while it reads a card with a 4 MiB photo, so a server keeps answering', async () => {
    const photo = jpegOf(4 << 20);
    const file = `${card30('FN:Anna Foto', `PHOTO;ENCODING=b;TYPE=JPEG:${folded(photo)}`)}${card30('FN:Bernd')}`;
    // The chunks themselves arrive without a turn of the event loop: only the reader can give one.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const results: Fetched<Contact>[] = [];
    const turnsBefore = turns;
    for await (const item of readVCards(inChunks(file))) results.push(item);
    ticking = false;
    expect(turns - turnsBefore, 'turns of the event loop while the card was read').to.be.at.least(3);
    const [anna, bernd] = results.map((item) => (item.ok ? item.value : undefined));
    expect(anna?.photo?.bytes).to.deep.equal(new Uint8Array(photo));
    expect(anna?.photo?.hash).to.equal(createHash('sha256').update(photo).digest('hex'));
    expect(anna?.photo?.mediaType).to.equal('image/jpeg');
    expect(bernd?.displayName).to.equal('Bernd');
  });

  it('reads the same contact from the same large card streamed and in memory', async () => {
    const file = card30('FN:Anna Foto', `PHOTO;ENCODING=b;TYPE=JPEG:${folded(jpegOf(1 << 20))}`);
    const streamed: Fetched<Contact>[] = [];
    for await (const item of readVCards(inChunks(file, 1000))) streamed.push(item);
    expect(streamed).to.deep.equal(readVCardsSync(file));
  });

  it('reads base64 with white space around its padding as the bytes it stands for', () => {
    const photo = jpegOf(1000);
    const base64 = photo.toString('base64');
    expect(base64.endsWith('=')).to.equal(true);
    const spaced = `${base64.slice(0, 70)}\t ${base64.slice(70, -1)}\r\n =`;
    const [read] = readVCardsSync(card30('FN:A', `PHOTO;ENCODING=b;TYPE=JPEG:${spaced}`));
    expect(read?.ok && read.value.photo?.bytes).to.deep.equal(new Uint8Array(photo));
  });

  it('refuses a photo with a character that is not base64 in its middle, naming where', () => {
    const base64 = jpegOf(3000).toString('base64');
    const broken = `${base64.slice(0, 2000)}*${base64.slice(2000)}`;
    const [read] = readVCardsSync(card30('FN:A', `PHOTO;ENCODING=b:${broken}`), { file: 'foto.vcf' });
    expect(read?.ok).to.equal(false);
    if (read?.ok !== false) return;
    expect(read.problem.code).to.equal('CRMSYNC_ERR_VCARD_BAD_PHOTO');
    expect(read.problem.message).to.contain(`${base64.slice(1990, 2000)}*`);
    expect(read.problem.location).to.deep.equal({ file: 'foto.vcf', card: 1, line: 4, field: 'PHOTO' });
  });
});
