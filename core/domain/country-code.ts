/**
 * Country names as people write them in address books ("Deutschland", "Germany", "Österreich",
 * "USA"), read as ISO 3166-1 alpha-2 codes, for CRMs that keep an address's country as a code.
 * The names come from the runtime's own locale data (`Intl.DisplayNames`) in the languages of
 * the address books crmsync meets most, and a few everyday short forms no locale lists.
 */
const languages = ['de', 'en', 'fr', 'it', 'es', 'nl', 'pl', 'pt', 'da', 'sv', 'cs', 'tr'];

const shortForms: Record<string, string> = {
  usa: 'US',
  unitedstatesofamerica: 'US',
  vereinigtestaatenvonamerika: 'US',
  uk: 'GB',
  greatbritain: 'GB',
  grossbritannien: 'GB',
  england: 'GB',
  brd: 'DE',
  bundesrepublikdeutschland: 'DE',
  federalrepublicofgermany: 'DE',
  holland: 'NL',
};

let byName: Map<string, string> | undefined;

/** The ISO 3166-1 alpha-2 code of a country written as its code or its name; undefined if none fits. */
export function countryCode(written: string): string | undefined {
  const text = written.trim();
  const named = names().get(folded(text));
  if (named) return named;
  const code = text.toUpperCase();
  return /^[A-Z]{2}$/.test(code) && isRegion(code) ? code : undefined;
}

function names(): Map<string, string> {
  if (byName) return byName;
  byName = new Map(Object.entries(shortForms));
  const displays = languages.map(
    (language) => new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }),
  );
  for (const code of regionCodes())
    for (const display of displays) {
      const name = display.of(code);
      if (!name) continue;
      for (const key of foldings(name)) if (!byName.has(key)) byName.set(key, code);
    }
  return byName;
}

/** Every two-letter code the locale data names, but the ones ISO leaves to private use. */
function regionCodes(): string[] {
  const codes: string[] = [];
  for (let first = 65; first <= 90; first++)
    for (let second = 65; second <= 90; second++) {
      const code = String.fromCharCode(first, second);
      if (isRegion(code)) codes.push(code);
    }
  return codes;
}

const english = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
/** Codes ISO leaves to private use, and the groupings and islands the locale data adds to ISO's list. */
const notCountries = /^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|UN|EZ|AC|CP|DG|EA|IC|TA)$/;

function isRegion(code: string): boolean {
  // Kosovo's XK is in private-use space but used as its code everywhere.
  if (notCountries.test(code) && code !== 'XK') return false;
  // A code out of use (DD, YU) stands for today's: its names are that country's names.
  if (Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) return false;
  return english.of(code) !== undefined;
}

/**
 * Case, accents, ß, punctuation and spaces do not tell country names apart; an umlaut may be
 * written as two letters ("Oesterreich") or as its bare vowel ("Osterreich"), so each name is
 * kept folded both ways.
 */
function foldings(name: string): string[] {
  const bare = folded(name);
  const spelt = folded(name.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue'));
  return bare === spelt ? [bare] : [bare, spelt];
}

function folded(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]/gu, '');
}
