import { foldName } from '../../../core/domain/similarity/index.js';

/**
 * Legal forms as they are folded by `foldName` (lower case, punctuation to spaces), longest
 * first so that "gmbh co kg" goes before "kg". A company's name without them is what people
 * mean by the company: "Müller Bau GmbH & Co. KG" and "Müller Bau GmbH" are one partner.
 */
const legalForms = [
  'gmbh co kgaa',
  'gmbh co kg',
  'gmbh co ohg',
  'ag co kg',
  'se co kg',
  'ug haftungsbeschraenkt co kg',
  'ug haftungsbeschraenkt',
  'gesellschaft mit beschraenkter haftung',
  'aktiengesellschaft',
  'kommanditgesellschaft',
  'eingetragener verein',
  'eingetragene genossenschaft',
  'ggmbh',
  'gmbh',
  'mbh',
  'kgaa',
  'ag',
  'kg',
  'ohg',
  'gbr',
  'ug',
  'e v',
  'ev',
  'e g',
  'eg',
  'e k',
  'ek',
  'e kfm',
  'e kfr',
  'partg mbb',
  'partg',
  'se',
  'ltd',
  'limited',
  'llc',
  'inc',
  'corp',
  'plc',
  'sarl',
  'sa',
  'bv',
  'nv',
  'co',
];

const trailingLegalForm = new RegExp(`(?:^| )(?:${legalForms.join('|')})$`);

/**
 * A company name folded for comparison, legal forms at its end removed (repeatedly:
 * "GmbH & Co. KG" is two), so "Firma GmbH" = "firma" = "FIRMA AG". Empty when the name was
 * nothing but a legal form.
 */
export function companyKey(name: string): string {
  let key = foldName(name.replaceAll('&', ' '));
  for (;;) {
    const stripped = key.replace(trailingLegalForm, '').trim();
    if (stripped === key) return key;
    key = stripped;
  }
}
