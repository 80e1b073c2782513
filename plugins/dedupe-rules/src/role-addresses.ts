/**
 * Local parts of addresses a whole office shares: two contact persons with info@firma.de are
 * colleagues, not one person, so such an address is no proof of a duplicate.
 */
const roleLocalParts = new Set([
  'info',
  'office',
  'kontakt',
  'contact',
  'mail',
  'post',
  'service',
  'support',
  'sales',
  'vertrieb',
  'verkauf',
  'einkauf',
  'buchhaltung',
  'rechnung',
  'rechnungen',
  'invoice',
  'billing',
  'zentrale',
  'empfang',
  'sekretariat',
  'team',
  'hallo',
  'hello',
  'hi',
  'admin',
  'webmaster',
  'noreply',
  'no-reply',
  'bewerbung',
  'jobs',
  'karriere',
  'presse',
  'press',
  'marketing',
  'verwaltung',
  'praxis',
  'kanzlei',
  'anfrage',
  'bestellung',
  'order',
  'orders',
]);

export function isRoleAddress(localPart: string): boolean {
  return roleLocalParts.has(localPart.trim().toLowerCase());
}
