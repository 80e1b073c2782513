import transliterate from '@sindresorhus/transliterate';
import { nameKey } from '../match-keys.js';

const beyondAscii = /[^\u0020-\u007e]/;

/**
 * A name as plain lower-case ASCII words for the string measures: `nameKey`'s folding
 * (Müller = Mueller, accents dropped), then letters that have no decomposition (Ł, Đ, İ)
 * transliterated, so that "Łukasz" meets "Lukasz". Letters of other scripts stay as they are.
 */
export function foldName(name: string): string {
  const key = nameKey(name);
  // Transliteration is the slow path; most names are plain ASCII after `nameKey`.
  return beyondAscii.test(key) ? nameKey(transliterate(key)) : key;
}
