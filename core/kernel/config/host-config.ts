import { isAbsolute, join, resolve } from 'node:path';
import { readSchema } from '../json-schemas.js';
import { loadConfigFile } from './config-file.js';
import { redact } from './redact.js';

export interface HostConfig {
  host: { address: string; port: number; apiKey?: string; logLevel: string };
  dataDir: string;
  store: { kind: 'sqlite' | 'postgres'; sqliteFile: string; postgresUrl?: string };
  pluginDirectories: string[];
  connectors: { crm: string; groupware: string; fallback: string };
  embedded: { referenceCrm: { enabled: boolean; port: number; dbFile: string } };
}

export const hostConfigSchema = readSchema('config/host-config.schema.json');

export interface LoadedHostConfig {
  configDir: string;
  file: string;
  /** Paths made absolute: dataDir, pluginDirectories. */
  config: HostConfig;
}

/** Reads `<configDir>/crmsync.json`; a missing file means every default. */
export function loadHostConfig(configDir: string, env: NodeJS.ProcessEnv = process.env): LoadedHostConfig {
  const file = join(configDir, 'crmsync.json');
  const { value } = loadConfigFile<HostConfig>(file, hostConfigSchema, { optional: true, env });
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(configDir, path));
  value.dataDir = absolute(value.dataDir);
  value.pluginDirectories = value.pluginDirectories.map(absolute);
  return { configDir, file, config: value };
}

/** The configuration as it may be shown or logged: secrets replaced. */
export function redactHostConfig(config: HostConfig): unknown {
  return redact(config, hostConfigSchema as never);
}
