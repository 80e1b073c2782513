import { fakerDE } from '@faker-js/faker';
import { type Contact, emptyContact } from '../../core/index.js';

/**
 * A German CRM's contact persons in bulk, from faker's German name, street and city lists
 * with a seeded generator of our own: faker's per-field calls would take minutes for a
 * million contacts. Every contact has a company with its own domain, a business and a
 * mobile number and an address; a third have a birthday.
 */
const lists = (() => {
  const { person, location } = fakerDE.definitions;
  const first = person.first_name as unknown as { male: string[]; female: string[] };
  return {
    male: [...first.male],
    female: [...first.female],
    surnames: [...(person.last_name as unknown as { generic: string[] }).generic],
    streets: [...(location.street_name as unknown as string[])],
    cities: [...(location.city_name as unknown as string[])],
  };
})();

const legalForms = ['GmbH', 'AG', 'KG', 'GmbH & Co. KG', 'e.V.', 'OHG', 'UG (haftungsbeschränkt)'];
const trades = [
  'Bau',
  'Logistik',
  'Technik',
  'Handel',
  'Consulting',
  'Metall',
  'Software',
  'Druck',
  'Elektro',
];

/** mulberry32: small, fast and reproducible, so every run meets the same contacts. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function germanCrmContacts(count: number, seed = 4711, firstId = 0): Contact[] {
  return [...germanCrmContactStream(count, seed, firstId)];
}

/** The same contacts one at a time, so that each can be dropped before the next is made. */
export function* germanCrmContactStream(count: number, seed = 4711, firstId = 0): Generator<Contact> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const digits = (length: number) => {
    let text = '';
    for (let i = 0; i < length; i++) text += Math.floor(random() * 10);
    return text;
  };
  const companyCount = Math.max(1, Math.floor(count / 10));
  for (let i = 0; i < count; i++) {
    const female = random() < 0.5;
    const givenName = pick(female ? lists.female : lists.male);
    const surname = pick(lists.surnames);
    const companyNumber = Math.floor(random() * companyCount);
    const founder = lists.surnames[companyNumber % lists.surnames.length]!;
    const company = `${founder} ${trades[companyNumber % trades.length]} ${legalForms[companyNumber % legalForms.length]}`;
    const domain = `${asciiWord(founder)}-${asciiWord(trades[companyNumber % trades.length]!)}${companyNumber}.de`;
    const contact: Contact = {
      ...emptyContact(),
      salutation: female ? 'Frau' : 'Herr',
      givenName,
      surname,
      company,
      // Two namesakes at one company still have addresses of their own.
      emails: [
        { address: `${asciiWord(givenName)}.${asciiWord(surname)}.${firstId + i}@${domain}`, type: 'work' },
      ],
      phones: [
        phone('business', `${30 + Math.floor(random() * 60)}`, digits(7)),
        phone('mobile', `1${pick(mobilePrefixes)}`, digits(7)),
      ],
      addresses: [
        {
          type: 'business',
          street: `${pick(lists.streets)} ${1 + Math.floor(random() * 120)}`,
          postalCode: digits(5),
          city: pick(lists.cities),
        },
      ],
      ids: { crmId: `c${firstId + i}` },
    };
    if (random() < 1 / 3)
      contact.birthday = `${1950 + Math.floor(random() * 55)}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`;
    yield contact;
  }
}

/**
 * Contacts as they come in from Outlook: `duplicateShare` of them are CRM contacts typed in
 * again (a typo in a name, the mobile written the national way, the e-mail in capitals),
 * the others are new people.
 */
export function incomingContacts(
  crm: readonly Contact[],
  count: number,
  duplicateShare: number,
  seed = 815,
): { contacts: Contact[]; copiedFrom: (string | undefined)[] } {
  const random = seededRandom(seed);
  const copiedFrom: (string | undefined)[] = [];
  const contacts = germanCrmContacts(count, seed + 1, 100_000_000).map((contact, i) => {
    if (random() >= duplicateShare) {
      copiedFrom.push(undefined);
      return { ...contact, ids: { groupwareId: `g${i}` } };
    }
    const original = crm[Math.floor(random() * crm.length)]!;
    copiedFrom.push(original.ids.crmId);
    const surname = original.surname ?? '';
    const at = Math.floor(random() * surname.length);
    return {
      ...original,
      surname: random() < 0.5 ? surname.slice(0, at) + surname.slice(at + 1) : surname,
      emails: original.emails.map((email) => ({ ...email, address: ` ${email.address.toUpperCase()} ` })),
      phones: original.phones.map(({ e164: _typedAgain, ...phone }) => ({
        ...phone,
        number: phone.number.replace(/^\+49 /, '0'),
      })),
      ids: { groupwareId: `g${i}` },
    };
  });
  return { contacts, copiedFrom };
}

const mobilePrefixes = ['51', '52', '60', '62', '70', '71', '72', '76'];

/** As a connector delivers a number: as entered, and in E.164 for matching. */
function phone(type: 'business' | 'mobile', area: string, subscriber: string) {
  return { number: `+49 ${area} ${subscriber}`, type, e164: `+49${area}${subscriber}` };
}

const asciiWords = new Map<string, string>();

/** Names repeat across a million contacts; each is spelt in ASCII once. */
function asciiWord(text: string): string {
  let word = asciiWords.get(text);
  if (word === undefined) {
    word = spellAscii(text);
    asciiWords.set(text, word);
  }
  return word;
}

function spellAscii(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[^a-z]/g, '');
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
