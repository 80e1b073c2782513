import { createHash } from 'node:crypto';
import type { ErrorCode, Photo } from '../../../../core/index.js';
import { type Property, paramValue, paramValues } from './property.js';
import { isBase64Encoded } from './value-text.js';

export type PhotoReading =
  | { kind: 'photo'; photo: Photo }
  | { kind: 'empty' }
  /** A form crmsync does not model (a 2.1 Content-ID reference, a `cid:` URI): kept as written. */
  | { kind: 'keep' }
  | { kind: 'error'; code: ErrorCode; reason: string };

/** Base64 with any white space in it (Buffer's decoder skips white space, so none is removed first). */
const base64Pattern = /^[A-Za-z0-9+/\s]*(?:=\s*){0,2}$/;

const urlStart = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Inline photos become bytes with a content hash; a photo given by URL stays a reference and is never fetched. */
export function readPhoto(property: Property, maxPhotoBytes: number): PhotoReading {
  const value = property.value.trim();
  if (!value) return { kind: 'empty' };
  const valueType = paramValue(property, 'VALUE')?.toUpperCase();
  const declaredType = mediaTypeFromParams(property);
  if (/^data:/i.test(value)) return fromDataUri(value, maxPhotoBytes, declaredType);
  if (valueType === 'CID' || valueType === 'CONTENT-ID' || value.startsWith('<') || /^cid:/i.test(value)) {
    return { kind: 'keep' };
  }
  // A scheme is short: testing only the value's start keeps a 5 MB base64 photo from being
  // scanned to its end by a pattern that cannot match it.
  if (valueType === 'URL' || valueType === 'URI' || urlStart.test(value.slice(0, 64))) {
    return { kind: 'photo', photo: { mediaType: declaredType ?? mediaTypeFromUrl(value), url: value } };
  }
  if (!isBase64Encoded(property) && valueType !== 'BINARY' && /[^A-Za-z0-9+/=\s]/.test(value))
    return { kind: 'keep' };
  return fromBase64(value, maxPhotoBytes, declaredType);
}

function fromDataUri(value: string, maxPhotoBytes: number, declaredType: string | undefined): PhotoReading {
  const comma = value.indexOf(',');
  if (comma === -1)
    return { kind: 'error', code: 'CRMSYNC_ERR_VCARD_BAD_PHOTO', reason: 'PHOTO data URI has no data' };
  const header = value.slice(5, comma);
  const payload = value.slice(comma + 1);
  const parts = header.split(';');
  const mediaType = parts[0]?.trim() || declaredType;
  if (parts.some((part) => part.trim().toLowerCase() === 'base64'))
    return fromBase64(payload, maxPhotoBytes, mediaType);
  let text: string;
  try {
    text = decodeURIComponent(payload);
  } catch {
    return {
      kind: 'error',
      code: 'CRMSYNC_ERR_VCARD_BAD_PHOTO',
      reason: 'PHOTO data URI has broken %-escapes',
    };
  }
  return photoFromBytes(Buffer.from(text, 'latin1'), mediaType);
}

function fromBase64(value: string, maxPhotoBytes: number, declaredType: string | undefined): PhotoReading {
  // One pass to check and one to decode: a 4 MiB photo is some 5.6 million characters.
  if (!base64Pattern.test(value)) {
    return {
      kind: 'error',
      code: 'CRMSYNC_ERR_VCARD_BAD_PHOTO',
      reason: `PHOTO is not valid base64 (it contains "${firstInvalid(value.replace(/\s+/g, ''))}")`,
    };
  }
  // White space counts in the first guess, which can only overestimate; a photo that may be
  // over the limit is counted exactly, and one that is over it is never decoded.
  if (Math.floor((value.length * 3) / 4) > maxPhotoBytes) {
    const estimated = decodedLength(value);
    if (estimated > maxPhotoBytes) {
      return {
        kind: 'error',
        code: 'CRMSYNC_ERR_VCARD_PHOTO_TOO_LARGE',
        reason: `PHOTO is about ${estimated} bytes, more than the limit of ${maxPhotoBytes} bytes`,
      };
    }
  }
  return photoFromBytes(Buffer.from(value, 'base64'), declaredType);
}

/** Exact for padded base64: each "=" stands for one byte fewer. */
function decodedLength(value: string): number {
  const cleaned = value.replace(/\s+/g, '');
  const padding = cleaned.endsWith('==') ? 2 : cleaned.endsWith('=') ? 1 : 0;
  return Math.floor((cleaned.length * 3) / 4) - padding;
}

function firstInvalid(text: string): string {
  const match = /[^A-Za-z0-9+/=]|=[^=]/.exec(text);
  return match ? text.slice(Math.max(0, match.index - 28), match.index + 10) : text.slice(0, 40);
}

function photoFromBytes(bytes: Uint8Array, declaredType: string | undefined): PhotoReading {
  if (bytes.length === 0) return { kind: 'empty' };
  const hash = createHash('sha256').update(bytes).digest('hex');
  const mediaType = sniff(bytes) ?? declaredType ?? 'application/octet-stream';
  return { kind: 'photo', photo: { mediaType, bytes: new Uint8Array(bytes), hash } };
}

function sniff(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'image/gif';
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) return 'image/bmp';
  return undefined;
}

const shortTypes: Record<string, string> = {
  JPEG: 'image/jpeg',
  JPG: 'image/jpeg',
  PNG: 'image/png',
  GIF: 'image/gif',
  BMP: 'image/bmp',
  TIFF: 'image/tiff',
  WEBP: 'image/webp',
};

function mediaTypeFromParams(property: Property): string | undefined {
  const mediaType = paramValue(property, 'MEDIATYPE');
  if (mediaType) return mediaType.toLowerCase();
  for (const type of paramValues(property, 'TYPE')) {
    const upper = type.toUpperCase();
    if (upper.includes('/')) return type.toLowerCase();
    const known = shortTypes[upper];
    if (known) return known;
  }
  return undefined;
}

function mediaTypeFromUrl(url: string): string {
  const extension = /\.([a-z]{3,4})(?:[?#].*)?$/i.exec(url)?.[1]?.toUpperCase();
  return (extension && shortTypes[extension]) ?? 'application/octet-stream';
}
