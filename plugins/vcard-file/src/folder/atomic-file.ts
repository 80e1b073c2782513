import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files start with this, so a listing of `.vcf` files never sees one. */
export const tempPrefix = '.crmsync-';
const tempSuffix = '.tmp';

export function isTempFile(name: string): boolean {
  return name.startsWith(tempPrefix) && name.endsWith(tempSuffix);
}

/**
 * Replaces `path` with `bytes` so that a reader sees either the old file or the new one,
 * never a half-written one: the bytes go to a temporary file beside it, are flushed to
 * disk, and the temporary file is renamed over the target.
 */
export async function replaceFile(path: string, bytes: Uint8Array): Promise<void> {
  const temp = await writeTemp(path, bytes);
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Links a file to a new name, failing with EEXIST when the name is taken (`fs.link`). */
export type LinkFile = (existing: string, created: string) => Promise<void>;

/** Errors of a file system that has no hard links (FAT, exFAT, some SMB shares). */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS']);

/**
 * Creates `path` with `bytes` unless it exists: the complete temporary file is hard-linked
 * to the target name, which fails instead of overwriting. Where the file system has no hard
 * links, the flushed temporary file is copied to the target in exclusive mode, which also
 * fails instead of overwriting. Returns false when the name is taken.
 */
export async function createFile(
  path: string,
  bytes: Uint8Array,
  linkFile: LinkFile = link,
): Promise<boolean> {
  const temp = await writeTemp(path, bytes);
  try {
    await linkFile(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== undefined && noHardLinks.has(code)) return await copyExclusive(temp, path);
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

async function copyExclusive(temp: string, path: string): Promise<boolean> {
  try {
    await copyFile(temp, path, constants.COPYFILE_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // The target was created by this copy (exclusive mode), so a partial one is removed.
    await rm(path, { force: true });
    throw error;
  }
  try {
    const handle = await open(path, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return true;
}

async function writeTemp(path: string, bytes: Uint8Array): Promise<string> {
  const temp = join(
    dirname(path),
    `${tempPrefix}${basename(path)}.${randomBytes(6).toString('hex')}${tempSuffix}`,
  );
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  return temp;
}
