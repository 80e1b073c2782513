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

/**
 * A cut inside the last card of a file: somewhere after the end of its BEGIN:VCARD line and
 * no later than the start of its END:VCARD line, so the file ends inside the card.
 */
function cutInsideLastCard(file: string, rnd: number): string | undefined {
  const begins = [...file.matchAll(/^BEGIN:VCARD[ \t]*$/gim)];
  const begin = begins[begins.length - 1];
  if (!begin) return undefined;
  const afterBegin = /[\r\n]+/y;
  afterBegin.lastIndex = begin.index + begin[0].length;
  if (!afterBegin.exec(file)) return undefined;
  const from = afterBegin.lastIndex;
  const end = /^END:VCARD/gim;
  end.lastIndex = from;
  const endMatch = end.exec(file);
  if (!endMatch) return undefined;
  return file.slice(0, from + (rnd % (endMatch.index - from + 1)));
}

/** Single-card 3.0/4.0 files without quoted-printable: every unindented line starts a property. */
const plainCards = realCards.filter(
  (file) =>
    (file.match(/^BEGIN:VCARD/gim) ?? []).length === 1 &&
    /^VERSION:[34]\.0[ \t]*$/im.test(file) &&
    !/QUOTED-PRINTABLE/i.test(file) &&
    !file.includes('\r\r\n'),
);

/** The mapped fields each property feeds; any property can also move lines out of the unknown ones. */
const fieldsOf: Record<string, string[]> = {
  N: ['salutation', 'title', 'givenName', 'middleName', 'surname', 'suffix'],
  FN: ['displayName'],
  NICKNAME: ['nickname'],
  ORG: ['company', 'department'],
  TITLE: ['jobTitle'],
  ROLE: ['jobTitle'],
  EMAIL: ['emails'],
  TEL: ['phones'],
  ADR: ['addresses'],
  'X-ABLABEL': ['emails', 'phones', 'addresses'],
  BDAY: ['birthday'],
  NOTE: ['notes'],
  CATEGORIES: ['categories'],
  URL: ['website'],
  PHOTO: ['photo'],
  UID: ['uid'],
  'X-CRMSYNC-ID': ['crmId'],
  REV: ['updatedAt'],
};

/**
 * Drops one physical line of a card: a property with its folded continuation lines, or just
 * one continuation line. Returns the card without it and the name of the property touched.
 */
function dropOneLine(file: string, rnd: number): { card: string; touched: string | undefined } | undefined {
  const lines = file.split(/\r\n|\r|\n/);
  const candidates = lines
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => !/^(?:[^:;]*\.)?(?:BEGIN|END|VERSION)[;:]/i.test(line) && line.trim() !== '');
  const chosen = candidates[rnd % Math.max(1, candidates.length)];
  if (!chosen) return undefined;
  let owner = chosen.index;
  while (owner > 0 && /^[ \t]/.test(lines[owner] as string)) owner--;
  let last = chosen.index;
  if (owner === chosen.index) while (/^[ \t]/.test(lines[last + 1] ?? '')) last++;
  const name = /^(?:[^.:;]*\.)?([^.:;]+)[;:]/
    .exec(lines[owner] as string)?.[1]
    ?.trim()
    .toUpperCase();
  lines.splice(chosen.index, last - chosen.index + 1);
  return { card: lines.join('\r\n'), touched: name };
}

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
        { numRuns: 300, seed: 20261127 },
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
      { numRuns: 200, seed: 20261127 },
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
      { numRuns: 300, seed: 20261127 },
    );
  });

  it('reports every card cut off by the end of the file, located, as the last thing it yields', () => {
    let cut = 0;
    fc.assert(
      fc.property(fc.constantFrom(...realCards), fc.nat(), (file, rnd) => {
        const truncated = cutInsideLastCard(file, rnd);
        if (truncated === undefined) return;
        cut++;
        const items = readVCardsSync(Buffer.from(truncated, 'latin1'), { ...limits, file: 'cut.vcf' });
        const last = items[items.length - 1];
        if (!last || last.ok)
          throw new Error(`no problem reported for a card cut off:\n${truncated.slice(-300)}`);
        expect(last.problem.code).to.equal('CRMSYNC_ERR_VCARD_TRUNCATED');
        expect(last.problem.location.file).to.equal('cut.vcf');
        expect(last.problem.location.card).to.be.a('number');
        expect(last.problem.location.line).to.be.a('number').greaterThan(0);
        expect(last.problem.message).to.include('the file ends at line');
      }),
      { numRuns: 300, seed: 20261127 },
    );
    expect(cut).to.be.greaterThan(200);
  });

  it('never changes a field fed by lines a dropped line did not touch, unless it reports a problem', () => {
    expect(plainCards.length).to.be.greaterThan(20);
    fc.assert(
      fc.property(fc.constantFrom(...plainCards), fc.nat(), (file, rnd) => {
        const dropped = dropOneLine(file, rnd);
        if (!dropped) return;
        const [before] = readVCardsSync(Buffer.from(file, 'latin1'), limits);
        const after = readVCardsSync(Buffer.from(dropped.card, 'latin1'), limits);
        if (!before?.ok) return;
        if (after.some((item) => !item.ok)) {
          expect(after.every(isWellFormed)).to.equal(true);
          return;
        }
        expect(after).to.have.length(1);
        const was = mappedFields(before.value);
        const now = mappedFields((after[0] as { value: Contact }).value);
        const touched = dropped.touched;
        const mayChange = new Set(touched ? (fieldsOf[touched] ?? []) : []);
        for (const key of Object.keys(was)) {
          if (key === 'unknown' || mayChange.has(key)) continue;
          expect(now[key], `${key} after dropping a line of ${touched ?? 'no property'}`).to.deep.equal(
            was[key],
          );
        }
        // Unknown lines can only go (a repeat moving up, the dropped property itself), or be the touched one changed.
        for (const line of now.unknown as string[]) {
          if ((was.unknown as string[]).includes(line)) continue;
          const name = /^(?:[^.:;]*\.)?([^.:;]+)[;:]/.exec(line)?.[1]?.toUpperCase();
          expect(name, `new unknown line ${line}`).to.equal(touched);
        }
      }),
      { numRuns: 500, seed: 20261127 },
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
      { numRuns: 300, seed: 20261127 },
    );
  });
});
