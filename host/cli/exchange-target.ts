import { CrmsyncError } from '../../core/index.js';

/** Where an export goes or an import comes from: the groupware in use, or a vCard file or folder. */
export type ExchangeTarget = { kind: 'groupware' } | { kind: 'vcard'; path: string };

export function parseExchangeTarget(value: string, option: '--to' | '--from'): ExchangeTarget {
  if (value === 'groupware') return { kind: 'groupware' };
  if (value.startsWith('vcard:') && value.length > 'vcard:'.length)
    return { kind: 'vcard', path: value.slice('vcard:'.length) };
  throw new CrmsyncError(
    'CRMSYNC_ERR_REQUEST_INVALID',
    `${option} takes "groupware" or "vcard:<path>", not "${value}"`,
    { field: option },
  );
}
