import { CrmsyncError, type ExportSettings } from '../../../../core/index.js';
import type { VcardVersion } from '../write/index.js';

const versions: readonly string[] = ['3.0', '4.0'] satisfies VcardVersion[];

/** The vCard version asked for, checked against those `allowed`; `configured` when none was asked for. */
export function versionOf(
  settings: ExportSettings | undefined,
  configured: VcardVersion,
  allowed: readonly string[] = versions,
): VcardVersion {
  const asked = settings?.formatVersion;
  if (asked === undefined) return configured;
  if (!allowed.includes(asked))
    throw new CrmsyncError(
      'CRMSYNC_ERR_EXPORT_INVALID',
      `this export writes vCard ${allowed.join(' or ')}, not "${asked}"`,
      { field: 'formatVersion' },
    );
  return asked as VcardVersion;
}
