import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths.js';

export const exportPluginsDir = join(repoRoot, 'test', 'host', 'fixtures', 'export-plugins');

export interface ConfigFolder {
  dir: string;
  /** Writes `crmsync.json` (dataDir inside the folder unless given). */
  host(config: Record<string, unknown>): ConfigFolder;
  /** Writes `plugins/crm-rest.json`: the shipped profile with the changes given. */
  // biome-ignore lint/suspicious/noExplicitAny: a test edits any part of the profile's nested JSON
  crmProfile(change: (profile: Record<string, any>) => void): ConfigFolder;
  remove(): void;
}

/** A configuration folder of its own for one test, removed afterwards. */
export function configFolder(): ConfigFolder {
  const dir = mkdtempSync(join(tmpdir(), 'crmsync-host-config-'));
  mkdirSync(join(dir, 'plugins'));
  const folder: ConfigFolder = {
    dir,
    host(config) {
      writeFileSync(join(dir, 'crmsync.json'), JSON.stringify({ dataDir: 'data', ...config }, null, 2));
      return folder;
    },
    crmProfile(change) {
      const profile = JSON.parse(readFileSync(join(repoRoot, 'config', 'plugins', 'crm-rest.json'), 'utf8'));
      delete profile.$schema;
      change(profile);
      writeFileSync(join(dir, 'plugins', 'crm-rest.json'), JSON.stringify(profile, null, 2));
      return folder;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return folder;
}
