import type { AddressType, EmailType, PhoneType } from '../../../../core/index.js';

/**
 * TYPE parameters (and, where they say nothing specific, an Apple/Google `X-ABLabel` of the
 * same group) mapped to crmsync's phone, e-mail and address kinds. A fax without HOME is a
 * business fax, which is what Outlook shows for "Fax".
 */
export function phoneType(types: Set<string>, label: string | undefined): PhoneType {
  const fromTypes = phoneTypeFromTypes(types);
  if (fromTypes !== 'other' || !label) return fromTypes;
  return phoneTypeFromLabel(label);
}

function phoneTypeFromTypes(types: Set<string>): PhoneType {
  if (types.has('PAGER')) return 'pager';
  if (types.has('FAX')) return types.has('HOME') ? 'homeFax' : 'businessFax';
  if (types.has('CELL') || types.has('MOBILE') || types.has('IPHONE')) return 'mobile';
  if (types.has('HOME')) return 'home';
  if (types.has('WORK')) return 'business';
  return 'other';
}

function phoneTypeFromLabel(label: string): PhoneType {
  const text = label.toLowerCase();
  if (/pager|piepser/.test(text)) return 'pager';
  if (/fax/.test(text)) return /home|privat/.test(text) ? 'homeFax' : 'businessFax';
  if (/mobil|cell|handy|iphone/.test(text)) return 'mobile';
  if (/home|privat|zuhause/.test(text)) return 'home';
  if (/work|business|gesch|büro|office|dienst/.test(text)) return 'business';
  return 'other';
}

export function emailType(types: Set<string>, label: string | undefined): EmailType {
  if (types.has('WORK')) return 'work';
  if (types.has('HOME')) return 'home';
  if (label) {
    const text = label.toLowerCase();
    if (/work|business|gesch|büro|office|dienst/.test(text)) return 'work';
    if (/home|privat/.test(text)) return 'home';
  }
  return 'other';
}

export function addressType(types: Set<string>, label: string | undefined): AddressType {
  if (types.has('WORK')) return 'business';
  if (types.has('HOME')) return 'home';
  if (label) {
    const text = label.toLowerCase();
    if (/work|business|gesch|büro|office|dienst/.test(text)) return 'business';
    if (/home|privat/.test(text)) return 'home';
  }
  return 'other';
}

/** Apple writes its built-in labels as `_$!<Mobile>!$_`. */
export function cleanLabel(label: string): string {
  return label.replace(/^_\$!<(.*)>!\$_$/, '$1').trim();
}
