/**
 * Value escaping for vCard 3.0 and 4.0 text. A backslash, a comma and a line break are
 * escaped everywhere; a semicolon only inside structured values (N, ADR, ORG), where it
 * separates components: readers such as ical.js do not unescape `\;` in plain text.
 */
const textSpecials = /[\\,\r\n]/;
const structuredSpecials = /[\\,;\r\n]/;

export function escapeText(value: string): string {
  if (!textSpecials.test(value)) return value;
  return value.replace(/\r\n|[\\,\r\n]/g, replaceSpecial);
}

/** One component of a structured value, e.g. the street of an ADR. */
export function escapeComponent(value: string | undefined): string {
  if (!value) return '';
  if (!structuredSpecials.test(value)) return value;
  return value.replace(/\r\n|[\\,;\r\n]/g, replaceSpecial);
}

export function structuredValue(components: readonly (string | undefined)[]): string {
  return components.map(escapeComponent).join(';');
}

/** A URI cannot carry a line break; a value that has one was never a URI, so the break goes. */
export function oneLine(value: string): string {
  return /[\r\n]/.test(value) ? value.replace(/[\r\n]+/g, ' ') : value;
}

function replaceSpecial(ch: string): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case ',':
      return '\\,';
    case ';':
      return '\\;';
    default:
      return '\\n';
  }
}
