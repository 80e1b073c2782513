import { fakerDE as faker } from '@faker-js/faker';
import { type Contact, emptyContact } from '../../core/index.js';

const salutations = ['Herr', 'Frau'] as const;
const titles = [undefined, undefined, undefined, undefined, 'Dr.', 'Prof. Dr.', 'Dipl.-Ing.'];
const departments = ['Einkauf', 'Vertrieb', 'Geschäftsführung', 'Buchhaltung', 'IT', 'Logistik', 'Personal'];
const jobs = [
  'Leiter Einkauf',
  'Vertriebsmitarbeiterin',
  'Geschäftsführer',
  'Sachbearbeiterin',
  'Teamleiter IT',
];

/**
 * Contacts as a German CRM holds them: names with umlauts, companies with legal forms,
 * business and mobile numbers, addresses, notes; one in a hundred has a small photo.
 */
export function germanContacts(count: number, seed = 4711): Contact[] {
  faker.seed(seed);
  const contacts: Contact[] = [];
  for (let i = 0; i < count; i++) {
    const salutation = faker.helpers.arrayElement(salutations);
    const givenName = faker.person.firstName(salutation === 'Herr' ? 'male' : 'female');
    const surname = faker.person.lastName();
    const company = faker.company.name();
    const domain = `${
      company
        .toLowerCase()
        .replace(/[^a-z]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 20) || 'firma'
    }.de`;
    const contact: Contact = {
      ...emptyContact(),
      salutation,
      title: faker.helpers.arrayElement(titles),
      givenName,
      surname,
      company,
      department: faker.helpers.arrayElement(departments),
      jobTitle: faker.helpers.arrayElement(jobs),
      emails: [
        {
          address: faker.internet.email({ firstName: givenName, lastName: surname, provider: domain }),
          type: 'work',
        },
      ],
      phones: [
        { number: `+49 ${faker.string.numeric(3)} ${faker.string.numeric(6)}`, type: 'business' },
        { number: `01${faker.string.numeric(2)} ${faker.string.numeric(7)}`, type: 'mobile' },
      ],
      addresses: [
        {
          type: 'business',
          street: `${faker.location.street()} ${faker.location.buildingNumber()}`,
          postalCode: faker.location.zipCode('#####'),
          city: faker.location.city(),
          country: 'Deutschland',
        },
      ],
      birthday:
        i % 3 === 0
          ? faker.date.birthdate({ mode: 'age', min: 20, max: 65 }).toISOString().slice(0, 10)
          : undefined,
      notes:
        i % 4 === 0
          ? `${faker.lorem.sentence()}\nRückruf über Zentrale, Durchwahl -${faker.string.numeric(2)}`
          : undefined,
      categories: i % 5 === 0 ? ['Kunde', 'Messe 2026'] : [],
      website: `https://www.${domain}`,
      ids: { crmId: `AP-${String(i + 1).padStart(7, '0')}` },
      updatedAt: '2026-11-02T09:30:00Z',
    };
    if (i % 100 === 7) contact.photo = { mediaType: 'image/jpeg', bytes: smallJpeg(i) };
    contacts.push(contact);
  }
  return contacts;
}

/** 2–4 KB that start like a JPEG: the size of a contact thumbnail. */
function smallJpeg(i: number): Uint8Array {
  const bytes = new Uint8Array(2048 + (i % 2048));
  for (let j = 0; j < bytes.length; j++) bytes[j] = (j * 131 + i) & 0xff;
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return bytes;
}
