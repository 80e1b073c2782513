/**
 * Which lines are properties that crmsync keeps and writes back unchanged. RFC 6350 names are
 * letters, digits and `-`, with one group; real producers also write `_` (Outlook's
 * `X-WAB-WEDDING_ANNIVERSARY`), `/` (KDE's `X-messaging/skype-All`), spaces (Google's
 * `X-GOOGLE TALK`) and several groups. Their data is the user's, so such names are kept. A
 * line without a name, or without a colon after it (`garbage without colon`, the `E` of a
 * file cut off inside `END:VCARD`), is not a property and is never written into a card.
 */
const keptName = /^[A-Za-z0-9][A-Za-z0-9_\-/ ]*(?:\.[A-Za-z0-9][A-Za-z0-9_\-/ ]*)*$/;

/** The group and name of a content line: everything before its first `;` or `:`. */
export function nameOfLine(line: string): string {
  return /^[^;:]*/.exec(line)?.[0] ?? '';
}

export function isKeptContentLine(line: string): boolean {
  const name = nameOfLine(line);
  return keptName.test(name) && line.includes(':', name.length);
}
