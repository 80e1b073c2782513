import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveEnvReferences } from '../../../../core/index.js';
import { repoRoot } from '../../../../test/support/paths.js';
import type { Profile } from '../../src/profile/profile.js';

export const referenceProfileFile = join(repoRoot, 'plugins', 'crm-rest', 'profiles', 'reference-crm.json');
export const otherProfileFile = join(
  repoRoot,
  'plugins',
  'crm-rest',
  'test',
  'support',
  'other-crm.profile.json',
);

/** A fresh, editable copy of a profile file's content, with its ${env:…} references resolved. */
export function readProfile(file: string): Profile {
  return resolveEnvReferences(JSON.parse(readFileSync(file, 'utf8')), file) as Profile;
}
