import type { CrmStore } from '../store/crm-store.js';
import { contactId } from '../store/crm-store.js';
import type { ContactDoc, PartnerDoc, PhotoDoc } from '../store/documents.js';
import { buildNamePools, type NamePools } from './name-pools.js';
import { solidGreyJpeg, solidPng } from './photos.js';
import { SeededRandom } from './random.js';

export interface DemoDataOptions {
  seed?: number;
  partners?: number;
  contacts?: number;
  /** One contact in this many gets a photo. */
  photoEvery?: number;
}

export const defaultDemoData = { seed: 4711, partners: 50, contacts: 500, photoEvery: 50 } as const;

const legalForms = ['GmbH', 'AG', 'KG', 'GmbH & Co. KG', 'e.K.', 'OHG', 'UG (haftungsbeschränkt)'];
const mobilePrefixes = ['0151', '0160', '0170', '0171', '0172', '0176', '0152', '0162'];
const baseTime = Date.UTC(2024, 0, 2, 8, 0, 0);

/** "Müller-Weiß" → "mueller-weiss": the spelling people use in e-mail addresses and domains. */
function asciiFold(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function partnerOf(index: number, pools: NamePools, random: SeededRandom): PartnerDoc {
  const base = pools.companies[index % pools.companies.length]!;
  const legalForm = random.pick(legalForms);
  const place = random.pick(pools.cities);
  const slug = asciiFold(base).slice(0, 40) || `firma-${index}`;
  const domain = `${slug}${index >= pools.companies.length ? `-${index}` : ''}.de`;
  return {
    id: `GP-${String(index + 1).padStart(4, '0')}`,
    name: `${base} ${legalForm}`,
    legalForm,
    emailDomains: [domain],
    website: `https://www.${domain}`,
    phone: `${place.areaCode} ${random.digits(6)}-0`,
    address: {
      street: `${random.pick(pools.streets)} ${random.int(1, 180)}`,
      postalCode: place.postalCode,
      city: place.city,
      country: 'DE',
    },
    updatedAt: new Date(baseTime + index * 3_600_000).toISOString(),
  };
}

function photoFor(index: number, nth: number): PhotoDoc {
  return nth % 2 === 0
    ? {
        mediaType: 'image/png',
        bytes: solidPng([(index * 37) % 256, (index * 91) % 256, (index * 53) % 256]),
      }
    : { mediaType: 'image/jpeg', bytes: solidGreyJpeg((index * 29) % 256) };
}

function contactOf(
  index: number,
  partner: PartnerDoc,
  pools: NamePools,
  random: SeededRandom,
  usedEmails: Set<string>,
): ContactDoc {
  const female = random.chance(0.48);
  const diverse = random.chance(0.02);
  const firstName = random.pick(female ? pools.female : pools.male);
  const lastName = random.pick(pools.surnames);
  const titleRoll = random.next();
  const title =
    titleRoll < 0.1 ? 'Dr.' : titleRoll < 0.13 ? 'Prof. Dr.' : titleRoll < 0.15 ? 'Prof.' : undefined;
  const domain = partner.emailDomains[0]!;
  let local = `${asciiFold(firstName)}.${asciiFold(lastName)}`;
  if (usedEmails.has(`${local}@${domain}`)) local = `${local}${index}`;
  usedEmails.add(`${local}@${domain}`);
  const emails: ContactDoc['emails'] = [{ address: `${local}@${domain}`, kind: 'work', primary: true }];
  if (random.chance(0.15)) emails.push({ address: `${local}${random.int(1, 99)}@web.de`, kind: 'private' });
  const areaCode = partner.phone!.split(' ')[0]!;
  const trunk = partner.phone!.split(' ')[1]!.split('-')[0]!;
  const phones: ContactDoc['phones'] = { business: `${areaCode} ${trunk}-${random.int(10, 899)}` };
  if (random.chance(0.7)) {
    phones.mobile = random.chance(0.3)
      ? `+49 ${random.pick(mobilePrefixes).slice(1)} ${random.digits(7)}`
      : `${random.pick(mobilePrefixes)} ${random.digits(7)}`;
  }
  if (random.chance(0.1)) phones.home = `${random.pick(pools.cities).areaCode} ${random.digits(6)}`;
  if (random.chance(0.2)) phones.fax = `${areaCode} ${trunk}-99`;
  // People with a private phone often have their private address on file too.
  const home = phones.home ? random.pick(pools.cities) : undefined;
  const homeAddress = home && {
    street: `${random.pick(pools.streets)} ${random.int(1, 180)}`,
    postalCode: home.postalCode,
    city: home.city,
    country: 'DE',
  };
  const created = new Date(baseTime + index * 60_000).toISOString();
  return {
    id: contactId(index + 1),
    partnerId: partner.id,
    partnerName: partner.name,
    salutationCode: diverse ? 'D' : female ? 'F' : 'H',
    ...(title ? { title } : {}),
    firstName,
    lastName,
    jobTitle: random.pick(pools.jobTitles),
    department: random.pick(pools.departments),
    emails,
    phones,
    address: { ...partner.address },
    ...(homeAddress ? { homeAddress } : {}),
    ...(random.chance(0.6)
      ? {
          birthday: `${random.int(1955, 2001)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
        }
      : {}),
    ...(random.chance(0.2) ? { notes: random.pick(pools.notes) } : {}),
    groupwareSync: random.chance(0.7),
    hasPhoto: false,
    version: 1,
    createdAt: created,
    updatedAt: created,
  };
}

/**
 * Fills the store with repeatable German demo data: the same seed always gives the same
 * partners, contacts and photos. Contacts go in batches, each in one transaction, so a
 * million contacts never sit in memory at once.
 */
export function seedDemoData(
  store: CrmStore,
  options: DemoDataOptions = {},
): { partners: number; contacts: number } {
  const seed = options.seed ?? defaultDemoData.seed;
  const partnerCount = Math.max(1, options.partners ?? defaultDemoData.partners);
  const contactCount = options.contacts ?? defaultDemoData.contacts;
  const photoEvery = options.photoEvery ?? defaultDemoData.photoEvery;
  const random = new SeededRandom(seed);
  const pools = buildNamePools(seed, random);
  const partners = Array.from({ length: partnerCount }, (_, index) => partnerOf(index, pools, random));
  store.insertPartners(partners);
  const usedEmails = new Set<string>();
  const batchSize = 20_000;
  for (let start = 0; start < contactCount; start += batchSize) {
    const batch: ContactDoc[] = [];
    const photos = new Map<string, PhotoDoc>();
    for (let index = start; index < Math.min(contactCount, start + batchSize); index++) {
      const contact = contactOf(index, partners[index % partnerCount]!, pools, random, usedEmails);
      if (photoEvery > 0 && index % photoEvery === 0) {
        photos.set(contact.id, photoFor(index, index / photoEvery));
        contact.hasPhoto = true;
      }
      batch.push(contact);
    }
    store.insertContacts(batch, photos);
  }
  return { partners: partnerCount, contacts: contactCount };
}
