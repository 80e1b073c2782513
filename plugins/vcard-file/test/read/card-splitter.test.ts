import { expect } from 'chai';
import type { Contact, Fetched } from '../../../../core/index.js';
import { CardSplitter, type SplitItem } from '../../src/read/card-splitter.js';
import { readVCards, readVCardsSync } from '../../src/read/index.js';

/** A card of roughly `size` bytes: many short lines, as a card with a long note or photo has. */
function largeCard(name: string, size: number): Buffer {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${name}`];
  for (let length = 0; length < size; length += 80) lines.push(`NOTE;X-LINE=${length}:${'x'.repeat(60)}`);
  return Buffer.from(`${[...lines, 'END:VCARD'].join('\r\n')}\r\n`);
}

function split(input: Uint8Array, chunkSize: number, maxCardBytes = 1024 * 1024) {
  const splitter = new CardSplitter(maxCardBytes);
  const items: SplitItem[] = [];
  for (let offset = 0; offset < input.length; offset += chunkSize)
    items.push(...splitter.push(input.subarray(offset, offset + chunkSize)));
  items.push(...splitter.end());
  return { items, copiedBytes: splitter.copiedBytes };
}

async function readInChunks(input: Uint8Array, chunkSize: number): Promise<Fetched<Contact>[]> {
  async function* chunks() {
    for (let offset = 0; offset < input.length; offset += chunkSize)
      yield input.subarray(offset, offset + chunkSize);
  }
  const results: Fetched<Contact>[] = [];
  for await (const result of readVCards(chunks())) results.push(result);
  return results;
}

describe('vCard card splitter', () => {
  const input = Buffer.concat([largeCard('Gross', 200_000), largeCard('Danach', 300)]);

  for (const chunkSize of [1, 16, 4096]) {
    it(`copies a card arriving in ${chunkSize}-byte chunks a bounded number of times, not once per chunk`, () => {
      const { items, copiedBytes } = split(input, chunkSize);
      expect(items.map((item) => item.kind)).to.deep.equal(['card', 'card']);
      // Re-copying the open card on every chunk would move about input²/(2·chunk) bytes.
      expect(copiedBytes).to.be.at.most(4 * input.length);
    });
  }

  it('cuts the same cards from 1-byte chunks as from the whole input', () => {
    const whole = split(input, input.length).items;
    const bytewise = split(input, 1).items;
    expect(bytewise).to.deep.equal(whole);
    expect(whole.map((item) => (item.kind === 'card' ? item.card.bytes.length : 0))).to.deep.equal([
      input.length - largeCard('Danach', 300).length,
      largeCard('Danach', 300).length,
    ]);
  });

  it('reads a large card streamed byte by byte into the same contacts as read at once', async () => {
    const expected = readVCardsSync(input);
    expect(expected.map((result) => result.ok && result.value.displayName)).to.deep.equal([
      'Gross',
      'Danach',
    ]);
    expect(await readInChunks(input, 1)).to.deep.equal(expected);
  });

  it('keeps copying bounded while it skips an oversized card arriving byte by byte', () => {
    const { items, copiedBytes } = split(input, 1, 10_000);
    expect(items.map((item) => item.kind)).to.deep.equal(['oversized', 'card']);
    expect(copiedBytes).to.be.at.most(4 * input.length);
  });
});
