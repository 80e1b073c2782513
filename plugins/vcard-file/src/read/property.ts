/**
 * One content line split into group, name, parameters and raw value, tolerating vCard 2.1's
 * bare parameters (`TEL;CELL;VOICE:`), quoted values containing `;`, `:` or `,`, empty or
 * odd parameter lists and RFC 6868 caret escapes.
 */
export interface Parameter {
  /** Upper-case name; a bare 2.1 parameter gets the name its value implies (TYPE, ENCODING, VALUE). */
  name: string;
  values: string[];
  bare: boolean;
}

export interface Property {
  group?: string;
  /** Upper-case. */
  name: string;
  params: Parameter[];
  /** The value exactly as written (escapes and encodings still in place). */
  value: string;
  /** True when the line had a colon; `N` alone on a line has no value at all. */
  hasValue: boolean;
  line: number;
  /** The unfolded line as written. */
  text: string;
}

const bareEncodings = new Set(['QUOTED-PRINTABLE', 'BASE64', '8BIT', '7BIT', 'B']);
const bareValueTypes = new Set(['INLINE', 'URL', 'URI', 'CONTENT-ID', 'CID']);

export function parseProperty(text: string, line: number): Property {
  let index = 0;
  const length = text.length;
  while (index < length) {
    const ch = text.charCodeAt(index);
    if (ch === 58 /* : */ || ch === 59 /* ; */) break;
    index++;
  }
  const fullName = text.slice(0, index).trim();
  const dot = fullName.lastIndexOf('.');
  const group = dot > 0 ? fullName.slice(0, dot) : undefined;
  const name = (dot >= 0 ? fullName.slice(dot + 1) : fullName).toUpperCase();
  const params: Parameter[] = [];
  if (index < length && text.charCodeAt(index) === 59) index = parseParams(text, index + 1, params);
  const hasValue = index < length && text.charCodeAt(index) === 58;
  const value = hasValue ? text.slice(index + 1) : '';
  const property: Property = { name, params, value, hasValue, line, text };
  if (group !== undefined) property.group = group;
  return property;
}

/** Parses parameters from `start` up to the value colon and returns the colon's index (or the line's length). */
function parseParams(text: string, start: number, out: Parameter[]): number {
  let index = start;
  const length = text.length;
  while (index < length) {
    let nameEnd = index;
    while (nameEnd < length) {
      const ch = text.charCodeAt(nameEnd);
      if (ch === 61 /* = */ || ch === 59 || ch === 58 || ch === 44 /* , */ || ch === 34 /* " */) break;
      nameEnd++;
    }
    const rawName = text.slice(index, nameEnd).trim();
    const values: string[] = [];
    let bare = true;
    index = nameEnd;
    if (index < length && text.charCodeAt(index) === 61) {
      bare = false;
      index++;
    }
    if (bare) {
      // A bare 2.1 parameter, possibly a comma list (`FAX,WORK`) or a quoted value.
      values.push(rawName);
    } else if (text.charCodeAt(index) !== 59 && text.charCodeAt(index) !== 58) {
      index = parseParamValues(text, index, values);
    } else {
      values.push('');
    }
    // Bare values after a comma: `TYPE=x` already consumed; `FAX,WORK` continues here.
    while (bare && index < length && text.charCodeAt(index) === 44) {
      index = parseParamValues(text, index + 1, values);
    }
    if (bare && index < length && text.charCodeAt(index) === 34)
      index = parseParamValues(text, index, values);
    addParam(out, rawName, values, bare);
    if (index >= length) return length;
    const ch = text.charCodeAt(index);
    if (ch === 58) return index;
    index++; // skip ';'
  }
  return length;
}

function parseParamValues(text: string, start: number, values: string[]): number {
  let index = start;
  const length = text.length;
  for (;;) {
    let value: string;
    if (text.charCodeAt(index) === 34) {
      const close = text.indexOf('"', index + 1);
      if (close === -1) {
        value = text.slice(index + 1);
        index = length;
      } else {
        value = text.slice(index + 1, close);
        index = close + 1;
        // Garbage between the closing quote and the next delimiter belongs to the value.
        const garbageFrom = index;
        while (index < length) {
          const ch = text.charCodeAt(index);
          if (ch === 44 || ch === 59 || ch === 58) break;
          index++;
        }
        if (index > garbageFrom) value += text.slice(garbageFrom, index);
      }
      for (const piece of splitQuotedList(caretDecode(value))) values.push(piece);
    } else {
      let end = index;
      while (end < length) {
        const ch = text.charCodeAt(end);
        if (ch === 44 || ch === 59 || ch === 58) break;
        end++;
      }
      value = text.slice(index, end).trim();
      index = end;
      values.push(caretDecode(value));
    }
    if (index < length && text.charCodeAt(index) === 44) {
      index++;
      continue;
    }
    return index;
  }
}

/**
 * `TYPE="voice,home"` is a quoted list in vCard 4.0, but a quoted value may also be one
 * value with a comma in it (`"COMMA,SEPARATED:INSIDE.DQUOTE"`): split only when every piece
 * is a plain token.
 */
function splitQuotedList(value: string): string[] {
  if (!value.includes(',')) return [value];
  const pieces = value.split(',').map((piece) => piece.trim());
  return pieces.every((piece) => /^[A-Za-z0-9-]+$/.test(piece)) ? pieces : [value];
}

function caretDecode(value: string): string {
  if (!value.includes('^')) return value;
  return value.replace(/\^(['n^])/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === "'" ? '"' : '^'));
}

function addParam(out: Parameter[], rawName: string, values: string[], bare: boolean): void {
  if (!bare) {
    if (!rawName) return;
    out.push({ name: rawName.toUpperCase(), values, bare: false });
    return;
  }
  const cleaned = values.map((value) => value.trim()).filter((value) => value.length > 0);
  if (cleaned.length === 0) return;
  const upper = (cleaned[0] as string).toUpperCase();
  const name = bareEncodings.has(upper) ? 'ENCODING' : bareValueTypes.has(upper) ? 'VALUE' : 'TYPE';
  out.push({ name, values: cleaned, bare: true });
}

export function paramValues(property: Property, name: string): string[] {
  const result: string[] = [];
  // No spread: a hostile parameter may hold more values than a call takes arguments.
  for (const param of property.params)
    if (param.name === name) for (const value of param.values) result.push(value);
  return result;
}

export function paramValue(property: Property, name: string): string | undefined {
  for (const param of property.params) if (param.name === name) return param.values[0];
  return undefined;
}

/** Upper-case TYPE values, including bare 2.1 ones. */
export function typesOf(property: Property): Set<string> {
  const types = new Set<string>();
  for (const param of property.params) {
    if (param.name !== 'TYPE') continue;
    for (const value of param.values) types.add(value.trim().toUpperCase());
  }
  return types;
}

export function isPreferred(property: Property, types: Set<string> = typesOf(property)): boolean {
  if (types.has('PREF')) return true;
  const pref = paramValue(property, 'PREF');
  return pref !== undefined && pref.trim() !== '' && Number(pref) >= 1 ? true : pref === '';
}
