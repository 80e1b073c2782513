import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** A fresh, editable copy of a profile file's content. */
export function readProfile(file: string): Profile {
  return JSON.parse(readFileSync(file, 'utf8')) as Profile;
}
