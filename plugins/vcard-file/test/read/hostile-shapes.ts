/**
 * Generated inputs of the shapes that made readers slow: each function gives the input for
 * size `n`, so that a test can compare reading `n` with reading `2n`.
 */
const utf8 = (text: string) => Buffer.from(text, 'utf8');

export const hostileShapes: Record<string, (n: number) => Uint8Array> = {
  'BEGIN:VCARD lines and nothing else': (n) => utf8('BEGIN:VCARD\n'.repeat(n)),
  'BEGIN:VCARD and N: pairs without END:VCARD': (n) =>
    utf8(Array.from({ length: n }, (_, i) => `BEGIN:VCARD\nN:Nachname${i + 1}\n`).join('')),
  'cards nested inside each other': (n) =>
    utf8(`${'BEGIN:VCARD\nFN:x\n'.repeat(n)}${'END:VCARD\n'.repeat(n)}`),
  'a line without colon folded many times': (n) =>
    utf8(`BEGIN:VCARD\nFN:A\nX-KEIN-DOPPELPUNKT${'\n x'.repeat(n)}\nEND:VCARD\n`),
  'a line folded many times': (n) => utf8(`BEGIN:VCARD\nFN:A\nNOTE:${'\n x'.repeat(n)}\nEND:VCARD\n`),
  'a QUOTED-PRINTABLE value with many soft line breaks': (n) =>
    utf8(`BEGIN:VCARD\nVERSION:2.1\nFN:A\nNOTE;ENCODING=QUOTED-PRINTABLE:${'ab=\n'.repeat(n)}c\nEND:VCARD\n`),
  'many lines continued by a trailing backslash': (n) =>
    utf8(`BEGIN:VCARD\nFN:A\nADR:;;Hauptstr. 1\\${'\nweiter\\'.repeat(n)}\nEND:VCARD\n`),
  'many unindented base64 lines': (n) =>
    utf8(
      `BEGIN:VCARD\nVERSION:2.1\nFN:A\nPHOTO;ENCODING=BASE64;JPEG:/9j/\n${'AAAA\n'.repeat(n)}\nEND:VCARD\n`,
    ),
  'a line with many parameters': (n) => utf8(`BEGIN:VCARD\nFN:A\nTEL${';WORK'.repeat(n)}:030 1\nEND:VCARD\n`),
  'an unknown vCard 2.1 property with many bare parameters': (n) =>
    utf8(`BEGIN:VCARD\nVERSION:2.1\nFN:A\nX-FOO${';WORK'.repeat(n)}:x\nEND:VCARD\n`),
  'a parameter with many quoted values': (n) =>
    utf8(
      `BEGIN:VCARD\nFN:A\nTEL;TYPE="${Array.from({ length: n }, () => 'work').join(',')}":030 1\nEND:VCARD\n`,
    ),
  'a very long line without colon in a card': (n) =>
    utf8(`BEGIN:VCARD\nFN:A\n${'x'.repeat(8 * n)}\nEND:VCARD\n`),
  'a very long line without colon outside any card': (n) =>
    utf8(`${'x'.repeat(8 * n)}\nBEGIN:VCARD\nFN:A\nEND:VCARD\n`),
  'a value of many backslash escapes': (n) =>
    utf8(
      `BEGIN:VCARD\nVERSION:3.0\nFN:A\nNOTE:${'\\n\\,\\;\\\\'.repeat(n)}\nN:${'\\;'.repeat(n)}\nEND:VCARD\n`,
    ),
  'many distinct categories': (n) =>
    utf8(
      `BEGIN:VCARD\nFN:A\nCATEGORIES:${Array.from({ length: n }, (_, i) => `K${i}`).join(',')}\nEND:VCARD\n`,
    ),
  'a huge number of tiny cards': (n) => utf8('BEGIN:VCARD\nFN:A\nEND:VCARD\n'.repeat(n)),
};
