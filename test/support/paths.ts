import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'crmsync') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no crmsync package.json above ${start}`);
    dir = parent;
  }
}

/** The checkout's root (where package.json is), found from the compiled test's location. */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** The team's shared folder beside the checkout; only the corpus suite may read it. */
export const sharedRoot = join(repoRoot, '..', 'shared');

/** A path below the repository root, e.g. `fixtures('vcard', 'outlook.vcf')` → test/fixtures/vcard/outlook.vcf. */
export function fixture(...parts: string[]): string {
  return join(repoRoot, 'test', 'fixtures', ...parts);
}
