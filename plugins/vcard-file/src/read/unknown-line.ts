import { isKeptContentLine } from '../content-line.js';
import type { Parameter, Property } from './property.js';
import {
  type CardEncoding,
  type Dialect,
  decodedValue,
  isBase64Encoded,
  isQuotedPrintable,
} from './value-text.js';

/**
 * A property crmsync does not map, as one unfolded vCard 3.0/4.0 content line the writer can
 * put back verbatim: 3.0/4.0 lines stay as written; 2.1 lines lose their QUOTED-PRINTABLE and
 * CHARSET encodings (the text is decoded to UTF-8), bare parameters get their names and
 * literal backslashes and line breaks are escaped the 3.0 way.
 */
export function unknownLine(property: Property, encoding: CardEncoding, dialect: Dialect): string {
  const qp = isQuotedPrintable(property);
  const bare = property.params.some((param) => param.bare);
  const base64 = isBase64Encoded(property);
  if (dialect !== '2.1' && !qp && !bare && !encoding.binary && !base64 && !hasEmptyParam(property))
    return property.text;
  let value = decodedValue(property, encoding);
  if (base64) value = value.replace(/\s+/g, '');
  else if (dialect === '2.1') value = value.replace(/\\(?!;)/g, '\\\\').replace(/\r\n|\r|\n/g, '\\n');
  else value = value.replace(/\r\n|\r|\n/g, '\\n');
  const pieces = [rawName(property)];
  for (const param of property.params) pieces.push(serialiseParam(param, base64));
  pieces.push(':', value);
  return pieces.join('');
}

/** Whether the property can be kept and written back: see `isKeptContentLine`. */
export function isPropertyLine(property: Property): boolean {
  return isKeptContentLine(property.text);
}

function rawNameOf(text: string): string {
  const match = /^[^;:]*/.exec(text);
  return match?.[0] ?? '';
}

/** `NOPARAM;:x` or `A;P=1;;Q=2:x`: an empty parameter is not valid vCard, so the line is rewritten without it. */
function hasEmptyParam(property: Property): boolean {
  const { text } = property;
  if (!property.hasValue) return false;
  const valueStart = text.length - property.value.length - 1;
  const nameEnd = rawNameOf(text).length;
  if (nameEnd >= valueStart) return false;
  return /;\s*(?=;|$)/.test(text.slice(nameEnd, valueStart));
}

function rawName(property: Property): string {
  const match = /^[^;:]*/.exec(property.text);
  return (match?.[0] ?? property.name).trim();
}

function serialiseParam(param: Parameter, base64: boolean): string {
  if (param.name === 'CHARSET') return '';
  if (param.name === 'ENCODING') {
    const upper = (param.values[0] ?? '').toUpperCase();
    if (upper === 'QUOTED-PRINTABLE' || upper === '8BIT' || upper === '7BIT') return '';
    if (base64) return ';ENCODING=b';
  }
  return `;${param.name}=${param.values.map(quoteParamValue).join(',')}`;
}

function quoteParamValue(value: string): string {
  if (!/[;:,"\n^]/.test(value)) return value;
  return `"${value.replace(/\^/g, '^^').replace(/"/g, "^'").replace(/\r?\n/g, '^n')}"`;
}
