import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every `<dir>/<folder>/plugin.json` below the given plugin directories, in a stable order. */
export function discoverManifests(directories: readonly string[]): string[] {
  const found: string[] = [];
  for (const directory of directories) {
    if (!existsSync(directory)) continue;
    for (const name of readdirSync(directory).sort()) {
      const folder = join(directory, name);
      const manifest = join(folder, 'plugin.json');
      if (statSync(folder).isDirectory() && existsSync(manifest)) found.push(manifest);
    }
  }
  return found;
}
