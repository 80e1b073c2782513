import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Discovery {
  /** Every `<dir>/<folder>/plugin.json`, in a stable order. */
  manifests: string[];
  /** Entries that could not be looked at (a dangling link, a directory that is a file …). */
  problems: string[];
}

/**
 * Looks for plugins below the given directories. Nothing found in one place stops the search
 * elsewhere: an unreadable entry is reported and skipped.
 */
export function discoverManifests(directories: readonly string[]): Discovery {
  const manifests: string[] = [];
  const problems: string[] = [];
  for (const directory of directories) {
    if (!existsSync(directory)) continue;
    let names: string[];
    try {
      names = readdirSync(directory).sort();
    } catch (error) {
      problems.push(`plugin directory ${directory} cannot be read: ${(error as Error).message}`);
      continue;
    }
    for (const name of names) {
      const folder = join(directory, name);
      try {
        const manifest = join(folder, 'plugin.json');
        if (statSync(folder).isDirectory() && existsSync(manifest)) manifests.push(manifest);
      } catch (error) {
        problems.push(`${folder} is skipped: ${(error as Error).message}`);
      }
    }
  }
  return { manifests, problems };
}
