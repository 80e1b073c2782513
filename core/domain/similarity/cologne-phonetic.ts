/**
 * Kölner Phonetik (Postel 1969): a German word as the digits of how it sounds, so that
 * "Meier", "Maier" and "Mayer" share a code (67). Follows the rules as published (Wikipedia,
 * Apache Commons Codec before 1.22): equal adjacent digits merge before the zeros after the
 * first position are dropped, so a vowel between two equal digits keeps both. A final C codes
 * as 8 and "CX" as 48, as the rules say; accented letters count as their base letter.
 */
export function colognePhonetic(word: string): string {
  const letters = lettersOf(word);
  let code = '';
  let last = '';
  for (let at = 0; at < letters.length; at++) {
    const digits = codeOf(letters, at);
    // H is silent and does not separate two equal digits.
    if (digits === '') continue;
    for (const digit of digits) {
      if (digit !== last) code += digit;
      last = digit;
    }
  }
  return code.length > 1 ? code[0] + code.slice(1).replaceAll('0', '') : code;
}

function lettersOf(word: string): string {
  return word
    .toLowerCase()
    .replaceAll('ß', 'ss')
    .normalize('NFKD')
    .replace(/[^a-z]/g, '');
}

function codeOf(letters: string, at: number): string {
  const letter = letters[at]!;
  const before = at > 0 ? letters[at - 1]! : '';
  const after = letters[at + 1] ?? '';
  switch (letter) {
    case 'a':
    case 'e':
    case 'i':
    case 'j':
    case 'o':
    case 'u':
    case 'y':
      return '0';
    case 'h':
      return '';
    case 'b':
      return '1';
    case 'p':
      return after === 'h' ? '3' : '1';
    case 'd':
    case 't':
      return 'csz'.includes(after) && after !== '' ? '8' : '2';
    case 'f':
    case 'v':
    case 'w':
      return '3';
    case 'g':
    case 'k':
    case 'q':
      return '4';
    case 'c':
      if (at === 0) return after !== '' && 'ahkloqrux'.includes(after) ? '4' : '8';
      return after !== '' && 'ahkoqux'.includes(after) && !'sz'.includes(before) ? '4' : '8';
    case 'x':
      return 'ckq'.includes(before) && before !== '' ? '8' : '48';
    case 'l':
      return '5';
    case 'm':
    case 'n':
      return '6';
    case 'r':
      return '7';
    case 's':
    case 'z':
      return '8';
    default:
      return '';
  }
}
