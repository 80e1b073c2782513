import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** A spool file's name: what it holds, the process that wrote it, a number of its own. */
const spoolFileName = /^(?:upload|export)-(\d+)-\d+(?:\.ndjson)?$/;

/**
 * Removes the uploads and export bodies that processes which have ended left in the spool
 * folder (a host killed while it read an upload): nothing reads them any more, and each may be
 * as large as an upload may be. Files of a process still running, and files named otherwise,
 * are left alone. Answers how many were removed.
 */
export function sweepSpool(spoolDir: string): number {
  let names: string[];
  try {
    names = readdirSync(spoolDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(spoolFileName.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    rmSync(join(spoolDir, name), { force: true });
    removed++;
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process runs under another user, which still counts as running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
