/**
 * vCard has no salutation field: producers put "Herr", "Mrs." or "Dr." in the N prefix. A
 * form of address goes to `salutation`, anything else (academic or professional titles) to
 * `title`, so "Herr Dr." becomes salutation "Herr" and title "Dr.".
 */
const salutations = new Set(
  [
    'herr',
    'frau',
    'fräulein',
    'mr',
    'mrs',
    'ms',
    'miss',
    'mx',
    'sir',
    'madam',
    'dame',
    'monsieur',
    'madame',
    'mademoiselle',
    'm',
    'mme',
    'mlle',
    'señor',
    'señora',
    'sr',
    'sra',
    'signor',
    'signora',
    'sig',
    'sig.ra',
    'dhr',
    'mevr',
  ].map((word) => word.normalize('NFC')),
);

function isSalutation(token: string): boolean {
  return salutations.has(token.toLowerCase().replace(/\.$/, '').normalize('NFC'));
}

export function splitNamePrefix(prefix: string): { salutation?: string; title?: string } {
  const trimmed = prefix.trim();
  if (!trimmed) return {};
  const tokens = trimmed.split(/\s+/);
  const salutation: string[] = [];
  const title: string[] = [];
  for (const token of tokens) {
    // Only a leading form of address is a salutation ("Dr. med. M." keeps M. in the title).
    if (title.length === 0 && isSalutation(token.replace(/,$/, ''))) salutation.push(token.replace(/,$/, ''));
    else title.push(token);
  }
  const result: { salutation?: string; title?: string } = {};
  if (salutation.length > 0) result.salutation = salutation.join(' ');
  if (title.length > 0) result.title = title.join(' ');
  return result;
}
