/**
 * Jaro similarity (1989) of two strings, 0 (nothing in common) to 1 (equal), compared by
 * UTF-16 code units: names are folded to plain letters before they get here.
 */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  return a.length <= 32 && b.length <= 32 ? jaroShort(a, b) : jaroLong(a, b);
}

/**
 * Jaro-Winkler similarity (Winkler 1990): Jaro, raised for a common prefix of up to four
 * letters, because spelling mistakes in names are rarer at the start. As in Winkler's paper,
 * only pairs already above 0.7 are raised.
 */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  const similarity = jaro(a, b);
  if (similarity <= boostThreshold) return similarity;
  let prefix = 0;
  const longest = Math.min(4, a.length, b.length);
  while (prefix < longest && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return similarity + prefix * prefixScale * (1 - similarity);
}

const boostThreshold = 0.7;

function windowOf(a: string, b: string): number {
  return Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
}

function score(a: string, b: string, matches: number, transpositions: number): number {
  if (matches === 0) return 0;
  return (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
}

/** Names fit in 32 letters: the matched flags are bits of two integers, with nothing to allocate. */
function jaroShort(a: string, b: string): number {
  const window = windowOf(a, b);
  let matchedA = 0;
  let matchedB = 0;
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const code = a.charCodeAt(i);
    const to = Math.min(b.length - 1, i + window);
    for (let j = Math.max(0, i - window); j <= to; j++) {
      if (matchedB & (1 << j) || code !== b.charCodeAt(j)) continue;
      matchedA |= 1 << i;
      matchedB |= 1 << j;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (!(matchedA & (1 << i))) continue;
    while (!(matchedB & (1 << j))) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) transpositions++;
    j++;
  }
  return score(a, b, matches, transpositions);
}

function jaroLong(a: string, b: string): number {
  const window = windowOf(a, b);
  const matchedA = new Uint8Array(a.length);
  const matchedB = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const to = Math.min(b.length - 1, i + window);
    for (let j = Math.max(0, i - window); j <= to; j++) {
      if (matchedB[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      matchedA[i] = 1;
      matchedB[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[j]) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) transpositions++;
    j++;
  }
  return score(a, b, matches, transpositions);
}
