import type { AddressType, EmailType, PhoneType } from '../../../../core/index.js';

export type VcardVersion = '3.0' | '4.0';

// TYPE values as Outlook, Apple and Google read them back into the same kind of number.
const phoneTypes: Record<PhoneType, readonly string[]> = {
  business: ['WORK', 'VOICE'],
  mobile: ['CELL', 'VOICE'],
  home: ['HOME', 'VOICE'],
  businessFax: ['WORK', 'FAX'],
  homeFax: ['HOME', 'FAX'],
  pager: ['PAGER'],
  other: ['VOICE'],
};

const emailTypes: Record<EmailType, readonly string[]> = {
  work: ['INTERNET', 'WORK'],
  home: ['INTERNET', 'HOME'],
  other: ['INTERNET'],
};

const addressTypes: Record<AddressType, readonly string[]> = {
  business: ['WORK'],
  home: ['HOME'],
  other: [],
};

export function phoneParams(type: PhoneType, preferred: boolean | undefined, version: VcardVersion): string {
  return typeParams(phoneTypes[type] ?? phoneTypes.other, preferred, version);
}

export function emailParams(type: EmailType, preferred: boolean | undefined, version: VcardVersion): string {
  // vCard 4.0 has no INTERNET type: every EMAIL is an Internet address there.
  const types = (emailTypes[type] ?? emailTypes.other).filter((t) => version === '3.0' || t !== 'INTERNET');
  return typeParams(types, preferred, version);
}

export function addressParams(type: AddressType, version: VcardVersion): string {
  return typeParams(addressTypes[type] ?? addressTypes.other, false, version);
}

function typeParams(types: readonly string[], preferred: boolean | undefined, version: VcardVersion): string {
  if (version === '3.0') {
    const all = preferred ? [...types, 'PREF'] : types;
    return all.length ? `;TYPE=${all.join(',')}` : '';
  }
  const typed = types.length ? `;TYPE=${types.map((t) => t.toLowerCase()).join(',')}` : '';
  return preferred ? `${typed};PREF=1` : typed;
}

const shortPhotoTypes: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/pjpeg': 'JPEG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
  'image/bmp': 'BMP',
  'image/tiff': 'TIFF',
  'image/webp': 'WEBP',
};

/**
 * `image/jpeg` → `JPEG`, the form vCard 3.0's TYPE parameter takes (and Outlook reads); a
 * media type without a short name is written whole.
 */
export function photoTypeName(mediaType: string): string {
  const lower = mediaType.toLowerCase();
  return shortPhotoTypes[lower] ?? lower;
}
