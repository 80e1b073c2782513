import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import fc from 'fast-check';
import { type Contact, emptyContact, type Fetched, toE164 } from '../../../core/index.js';
import { fixture } from '../../../test/support/paths.js';
import { readVCards, readVCardsSync } from '../src/read/index.js';
import { formattedName, stableUid, type VcardVersion, writeVCard } from '../src/write/index.js';
import { mappedFields } from './support/mapped-fields.js';

// Limits small enough that "huge value" mutations hit them, so the limit paths are exercised too.
const limits = { maxCardBytes: 32 * 1024, maxPhotoBytes: 16 * 1024 };

// Letters, umlauts, CJK, an emoji, and every character vCard escaping or parsing cares about.
const character = fc.constantFrom(...('aBzÄöüßéñ€汉😀 ,;:\\"\n=^.-/()+1'.match(/./gsu) as string[]));
const text = fc
  .string({ unit: character, minLength: 1, maxLength: 24 })
  .map((value) => value.trim())
  .filter((value) => value.length > 0);
const oneLineText = text.map((value) => value.replace(/\n/g, ' ').trim()).filter((value) => value.length > 0);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 3 });
const preferred = fc.constantFrom(true, undefined);
const twoDigits = (n: number) => String(n).padStart(2, '0');

const birthday = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2020-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10))
    .filter((d) => !d.startsWith('1604')),
  fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([m, d]) => `--${twoDigits(m)}-${twoDigits(d)}`),
);
const timestamp = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));

const magic: Record<string, number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff, 0xe0],
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'image/gif': [0x47, 0x49, 0x46, 0x38],
};
const photo = fc.oneof(
  fc
    .tuple(fc.constantFrom(...Object.keys(magic)), fc.uint8Array({ minLength: 0, maxLength: 3000 }))
    .map(([mediaType, rest]) => ({
      mediaType,
      bytes: new Uint8Array([...(magic[mediaType] as number[]), ...rest]),
    })),
  fc
    .tuple(fc.constantFrom('image/jpeg', 'image/png'), fc.webUrl())
    .map(([mediaType, url]) => ({ mediaType, url })),
);

const unknownLine = fc
  .tuple(fc.integer({ min: 1, max: 999 }), fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), oneLineText)
  .map(([n, param, value]) => `X-CRMSYNC-TEST-${n};X-P=${param}:${value}`);

const validContact: fc.Arbitrary<Contact> = fc
  .record({
    salutation: optional(fc.constantFrom('Herr', 'Frau', 'Mr.', 'Ms.')),
    title: optional(fc.constantFrom('Dr.', 'Prof. Dr.', 'Dipl.-Ing.', 'Dr. med.')),
    givenName: optional(text),
    middleName: optional(text),
    surname: optional(text),
    suffix: optional(text),
    nickname: optional(text),
    displayName: optional(text),
    company: optional(text),
    department: optional(text),
    jobTitle: optional(text),
    emails: fc.array(
      fc.record(
        { address: text, type: fc.constantFrom('work', 'home', 'other'), preferred },
        { requiredKeys: ['address', 'type'] },
      ),
      { maxLength: 3 },
    ),
    phones: fc.array(
      fc.record(
        {
          number: text,
          type: fc.constantFrom('business', 'mobile', 'home', 'businessFax', 'homeFax', 'pager', 'other'),
          preferred,
        },
        { requiredKeys: ['number', 'type'] },
      ),
      { maxLength: 3 },
    ),
    addresses: fc.array(
      fc
        .record(
          {
            type: fc.constantFrom('business', 'home', 'other'),
            street: optional(text),
            postalCode: optional(text),
            city: optional(text),
            region: optional(text),
            country: optional(text),
          },
          { requiredKeys: ['type'] },
        )
        .filter((address) => Object.values(address).filter((v) => v !== undefined).length > 1),
      { maxLength: 2 },
    ),
    birthday: optional(birthday),
    notes: optional(text),
    categories: fc.uniqueArray(text, { maxLength: 3 }),
    website: optional(fc.webUrl()),
    photo: optional(photo),
    uid: optional(text),
    crmId: optional(text),
    updatedAt: optional(timestamp),
    unknown: fc.uniqueArray(unknownLine, { maxLength: 3, selector: (line) => line.split(';')[0] }),
  })
  .map(({ uid, crmId, unknown, ...fields }) => {
    const contact: Contact = {
      ...emptyContact(),
      ...stripUndefined(fields),
      ids: stripUndefined({ uid, crmId }),
    } as Contact;
    if (unknown.length > 0) contact.extensions = { vcard: { unknown } };
    return contact;
  });

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** What the reader must give back for a contact the writer wrote. */
function expectedFields(contact: Contact): Record<string, unknown> {
  const expected = mappedFields(contact);
  expected.phones = contact.phones.map((phone) =>
    JSON.parse(
      JSON.stringify({
        number: phone.number,
        type: phone.type,
        e164: toE164(phone.number),
        preferred: phone.preferred === true,
      }),
    ),
  );
  const fn = formattedName(contact);
  if (expected.displayName === undefined && fn) expected.displayName = fn;
  expected.uid = stableUid(contact);
  return expected;
}

function isWellFormed(item: Fetched<Contact>): boolean {
  if (item.ok) {
    const c = item.value;
    return (
      Array.isArray(c.emails) &&
      Array.isArray(c.phones) &&
      Array.isArray(c.addresses) &&
      Array.isArray(c.categories) &&
      typeof c.ids === 'object' &&
      c.emails.every((e) => typeof e.address === 'string' && e.address.length > 0) &&
      c.phones.every((p) => typeof p.number === 'string' && p.number.length > 0)
    );
  }
  const { problem } = item;
  return (
    /^CRMSYNC_ERR_[A-Z_]+$/.test(problem.code) &&
    problem.message.length > 0 &&
    (problem.location.card !== undefined || problem.location.line !== undefined)
  );
}

/** The same bytes fed to the streaming reader in the given chunk sizes. */
async function readInChunks(bytes: Uint8Array, sizes: number[]): Promise<Fetched<Contact>[]> {
  async function* chunks() {
    let offset = 0;
    for (let i = 0; offset < bytes.length; i++) {
      const size = sizes.length ? (sizes[i % sizes.length] as number) : bytes.length;
      yield bytes.subarray(offset, offset + size);
      offset += size;
    }
  }
  const items: Fetched<Contact>[] = [];
  for await (const item of readVCards(chunks(), limits)) items.push(item);
  return items;
}

function comparable(items: Fetched<Contact>[]): unknown[] {
  return items.map((item) => (item.ok ? mappedFields(item.value) : item.problem));
}

const realCards: string[] = readdirSync(fixture('vcard', 'real'))
  .filter((name) => name.endsWith('.vcf'))
  .sort()
  .map((name) => readFileSync(fixture('vcard', 'real', name)).toString('latin1'))
  .filter((content) => content.length < 20_000);

type Mutation = (card: string, rnd: number, extra: string) => string;
const mutations: Record<string, Mutation> = {
  dropLine(card, rnd) {
    const lines = card.split(/\r?\n/);
    lines.splice(rnd % lines.length, 1);
    return lines.join('\r\n');
  },
  truncate: (card, rnd) => card.slice(0, rnd % (card.length + 1)),
  garbageParams(card, rnd, extra) {
    const lines = card.split(/\r?\n/);
    const i = rnd % lines.length;
    lines[i] = (lines[i] as string).replace(/^([^:;]*)/, `$1;${extra};=;;"${extra}`);
    return lines.join('\r\n');
  },
  hugeValue(card, rnd) {
    const lines = card.split(/\r?\n/);
    const i = rnd % lines.length;
    lines[i] = (lines[i] as string).replace(/:.*$/, `:${'A'.repeat(40_000 + (rnd % 30_000))}`);
    return lines.join('\r\n');
  },
  insertBytes(card, rnd, extra) {
    const at = rnd % (card.length + 1);
    return card.slice(0, at) + extra + card.slice(at);
  },
  duplicateLine(card, rnd) {
    const lines = card.split(/\r?\n/);
    const i = rnd % lines.length;
    lines.splice(i, 0, lines[i] as string);
    return lines.join('\r\n');
  },
};

describe('The vCard reader and writer under random and mutated input', function () {
  // A hang fails through mocha's timeout rather than blocking the run.
  this.timeout(120_000);

  it('finds real cards to mutate', () => {
    expect(realCards.length).to.be.greaterThan(50);
  });

  for (const version of ['3.0', '4.0'] as VcardVersion[]) {
    it(`reads back every mapped field of a generated contact written as vCard ${version}`, () => {
      fc.assert(
        fc.property(validContact, (contact) => {
          const written = writeVCard(contact, { version });
          const items = readVCardsSync(written, limits);
          expect(items).to.have.length(1);
          const item = items[0] as Fetched<Contact>;
          if (!item.ok) throw new Error(`${item.problem.message}\n${written}`);
          expect(mappedFields(item.value)).to.deep.equal(expectedFields(contact));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('never changes a mapped field when an unknown property with odd parameters is added', () => {
    const oddParams = fc.stringMatching(/^[A-Za-z0-9=,;"^' -]{0,20}$/);
    fc.assert(
      fc.property(validContact, oddParams, oneLineText, (contact, params, value) => {
        const written = writeVCard(contact);
        const extra = `X-ODD;${params}:${value.replace(/[\\,]/g, '')}`;
        const mutated = written.replace('\r\nEND:VCARD', `\r\n${extra}\r\nEND:VCARD`);
        const [before, after] = [readVCardsSync(written)[0], readVCardsSync(mutated)[0]];
        if (!before?.ok || !after?.ok) throw new Error('a valid card must read');
        const { unknown: unknownBefore, ...fieldsBefore } = mappedFields(before.value);
        const { unknown: unknownAfter, ...fieldsAfter } = mappedFields(after.value);
        expect(fieldsAfter).to.deep.equal(fieldsBefore);
        expect((unknownAfter as string[]).length).to.equal((unknownBefore as string[]).length + 1);
      }),
      { numRuns: 200 },
    );
  });

  it('turns random bytes into contacts or located problems, never an exception, whatever the chunking', async () => {
    const prefix = fc.constantFrom(
      '',
      'BEGIN:VCARD\r\n',
      'BEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE:=',
    );
    await fc.assert(
      fc.asyncProperty(
        prefix,
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 5 }),
        async (start, random, sizes) => {
          const bytes = new Uint8Array([...Buffer.from(start, 'latin1'), ...random]);
          const whole = readVCardsSync(bytes, limits);
          expect(whole.every(isWellFormed)).to.equal(true);
          expect(comparable(await readInChunks(bytes, sizes))).to.deep.equal(comparable(whole));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives mutated real cards: dropped lines, truncation, garbage parameters, huge values, stray bytes', async () => {
    const extra = fc.string({ unit: fc.constantFrom(...'=;:,"\\\r\n\u0000ÿ€ aZ'.split('')), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...realCards),
        fc.array(fc.tuple(fc.constantFrom(...Object.keys(mutations)), fc.nat(), extra), {
          minLength: 1,
          maxLength: 3,
        }),
        // Byte-sized chunks too: huge values must stream without re-copying the card per chunk.
        fc.array(fc.integer({ min: 1, max: 4096 }), { maxLength: 3 }),
        async (card, steps, sizes) => {
          let mutated = card;
          for (const [name, rnd, bytes] of steps)
            mutated = (mutations[name] as Mutation)(mutated, rnd, bytes);
          const input = Buffer.from(mutated, 'latin1');
          const whole = readVCardsSync(input, limits);
          expect(whole.every(isWellFormed)).to.equal(true);
          expect(comparable(await readInChunks(input, sizes))).to.deep.equal(comparable(whole));
        },
      ),
      { numRuns: 300 },
    );
  });
});
