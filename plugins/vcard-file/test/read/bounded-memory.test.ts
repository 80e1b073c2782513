import { expect } from 'chai';
import fc from 'fast-check';
import type { Contact, Fetched } from '../../../../core/index.js';
import { CardSplitter } from '../../src/read/card-splitter.js';
import { readVCards, readVCardsSync } from '../../src/read/index.js';

const maxCardBytes = 4096;

/** Lines of every kind that changes what the reader must hold: cards, nesting, huge and endless lines. */
const line = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('BEGIN:VCARD', 'END:VCARD') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('begin:vcard ', 'item1.END:VCARD', 'AGENT:', 'BEGIN:VEVENT', 'END:VEVENT'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'VERSION:2.1',
      'N:Muster;Max',
      'TEL;CELL:0171 1',
      'NOTE;ENCODING=QUOTED-PRINTABLE:a=',
      '',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1000, max: 6000 }).map((length) => `NOTE:${'n'.repeat(length)}`),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 6000 }).map((length) => 'x'.repeat(length)) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 200 }).map((folds) => `X-FOLDED:${'\r\n abc'.repeat(folds)}`),
  },
);
const lineBreak = fc.constantFrom('\r\n', '\n', '\r', '\r\r\n');
const input = fc
  .array(fc.tuple(line, lineBreak), { minLength: 5, maxLength: 60, size: 'medium' })
  .chain((pairs) =>
    fc.boolean().map((endsWithBreak) => {
      const text = pairs.map(([content, eol]) => content + eol).join('');
      return Buffer.from(endsWithBreak ? text : text.replace(/[\r\n]+$/, ''), 'latin1');
    }),
  );
const chunkSizes = fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 4 });

function* chunksOf(bytes: Uint8Array, sizes: number[]): Iterable<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length] as number;
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

function comparable(items: Fetched<Contact>[]): unknown[] {
  return items.map((item) =>
    item.ok ? [item.value.surname, item.value.ids.groupwareVersion] : item.problem,
  );
}

describe('vCard reader memory', () => {
  it('never holds more than one card, up to the card limit, plus one chunk, whatever the input and its chunking', () => {
    let overLimit = 0;
    fc.assert(
      fc.property(input, chunkSizes, (bytes, sizes) => {
        const splitter = new CardSplitter(maxCardBytes);
        const items = [];
        for (const chunk of chunksOf(bytes, sizes)) items.push(...splitter.push(chunk));
        items.push(...splitter.end());
        if (items.some((item) => item.kind === 'oversized')) overLimit++;
        expect(splitter.peakRetainedBytes).to.be.at.most(maxCardBytes + Math.max(...sizes));
      }),
      { numRuns: 400, seed: 20261127 },
    );
    // The inputs do pass the limit, so holding the bound is not just a matter of small cards.
    expect(overLimit).to.be.greaterThan(20);
  });

  it('yields the same contacts and problems however the same hostile input is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(input, chunkSizes, async (bytes, sizes) => {
        const whole = readVCardsSync(bytes, { maxCardBytes });
        async function* chunks() {
          yield* chunksOf(bytes, sizes);
        }
        const streamed: Fetched<Contact>[] = [];
        for await (const item of readVCards(chunks(), { maxCardBytes })) streamed.push(item);
        expect(comparable(streamed)).to.deep.equal(comparable(whole));
      }),
      { numRuns: 200, seed: 20261127 },
    );
  });
});
