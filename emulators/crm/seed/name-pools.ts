import { fakerDE } from '@faker-js/faker';
import type { SeededRandom } from './random.js';

/**
 * Pools of German names, streets and companies, filled by faker once per seed. Fixed entries
 * make sure every data set has umlauts, ß and the double names real address books are full of.
 */
export interface NamePools {
  male: string[];
  female: string[];
  surnames: string[];
  streets: string[];
  cities: { city: string; postalCode: string; areaCode: string }[];
  companies: string[];
  departments: string[];
  jobTitles: string[];
  notes: string[];
}

const fixedMale = ['Jürgen', 'Björn', 'Günther', 'Jörg', 'Hans-Peter', 'Karl-Heinz', 'Sören'];
const fixedFemale = ['Käthe', 'Jülide', 'Anna-Lena', 'Marie-Luise', 'Bärbel', 'Jördis'];
const fixedSurnames = [
  'Müller',
  'Weiß',
  'Groß',
  'Strauß',
  'Schröder',
  'Lüdenscheidt',
  'Meißner',
  'Öztürk',
  'Jäger',
  'Fuß',
];
const fixedCities = [
  { city: 'München', postalCode: '80331', areaCode: '089' },
  { city: 'Köln', postalCode: '50667', areaCode: '0221' },
  { city: 'Düsseldorf', postalCode: '40213', areaCode: '0211' },
  { city: 'Nürnberg', postalCode: '90402', areaCode: '0911' },
  { city: 'Gießen', postalCode: '35390', areaCode: '0641' },
  { city: 'Lübeck', postalCode: '23552', areaCode: '0451' },
  { city: 'Berlin', postalCode: '10115', areaCode: '030' },
  { city: 'Hamburg', postalCode: '20095', areaCode: '040' },
  { city: 'Frankfurt am Main', postalCode: '60311', areaCode: '069' },
  { city: 'Stuttgart', postalCode: '70173', areaCode: '0711' },
  { city: 'Würzburg', postalCode: '97070', areaCode: '0931' },
  { city: 'Osnabrück', postalCode: '49074', areaCode: '0541' },
];

export function buildNamePools(seed: number, random: SeededRandom): NamePools {
  fakerDE.seed(seed);
  const many = <T>(count: number, make: () => T) => Array.from({ length: count }, make);
  const male = [...new Set([...fixedMale, ...many(120, () => fakerDE.person.firstName('male'))])];
  const female = [...new Set([...fixedFemale, ...many(120, () => fakerDE.person.firstName('female'))])];
  const surnames = [...new Set([...fixedSurnames, ...many(400, () => fakerDE.person.lastName())])];
  // Double names are common enough in German address books to deserve their own share.
  for (let i = 0; i < 30; i++) surnames.push(`${random.pick(surnames)}-${random.pick(surnames)}`);
  for (let i = 0; i < 15; i++)
    male.push(`${random.pick(male.slice(0, 60))}-${random.pick(male.slice(0, 60))}`);
  return {
    male,
    female,
    surnames,
    streets: [...new Set(many(200, () => fakerDE.location.street()))],
    cities: fixedCities,
    companies: [...new Set(many(300, () => fakerDE.company.name()))],
    departments: [
      'Einkauf',
      'Vertrieb',
      'Geschäftsführung',
      'Buchhaltung',
      'IT',
      'Personal',
      'Marketing',
      'Logistik',
    ],
    jobTitles: [
      'Geschäftsführer',
      'Einkaufsleiterin',
      'Vertriebsleiter',
      'Sachbearbeiterin',
      'Prokurist',
      'Leiterin IT',
      'Assistenz der Geschäftsführung',
      'Key-Account-Manager',
    ],
    notes: [
      'Bevorzugt Kontakt per E-Mail.',
      'Rückruf nur vormittags.',
      'Ansprechpartner für Rahmenverträge.',
      'Hat die Messe in Köln besucht; Unterlagen geschickt.',
      'Spricht auch Französisch.',
      'Grüße an die Familie ausrichten.',
    ],
  };
}
