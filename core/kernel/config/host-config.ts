import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CrmsyncError } from '../../domain/errors.js';
import { createAjv, describeViolations, readSchema } from '../json-schemas.js';
import { loadConfigFile } from './config-file.js';
import { redact } from './redact.js';

export interface HostTimeouts {
  headersMs: number;
  requestMs: number;
  idleMs: number;
  shutdownGraceMs: number;
  planAnswerMs: number;
}

export interface HostLimits {
  uploadBytes: number;
  exportBodyBytes: number;
  exportContacts: number;
  exportValueChars: number;
  previewContacts: number;
  previewProblems: number;
  heavyRequests: number;
}

/** How jobs run: in the host's process (SQLite) or on a pg-boss queue (PostgreSQL). */
export interface JobSettings {
  worker: boolean;
  concurrency: number;
  pollingSeconds: number;
  retries: number;
  retryDelaySeconds: number;
  leaseSeconds: number;
  timeoutMinutes: number;
  shutdownGraceSeconds: number;
  queueSchema: string;
}

export interface HostConfig {
  host: {
    address: string;
    port: number;
    apiKey?: string;
    logLevel: string;
    allowedHosts: string[];
    trustProxy: boolean;
    timeouts: HostTimeouts;
    limits: HostLimits;
    sessions: { idleMinutes: number; absoluteHours: number };
    rateLimits: { signInPerMinute: number; writesPerMinute: number };
  };
  dataDir: string;
  store: { kind: 'sqlite' | 'postgres'; sqliteFile: string; postgresUrl?: string };
  jobs: JobSettings;
  sync: { everyMinutes: number; accounts: Record<string, { everyMinutes: number }> };
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

/**
 * The schema as it applies to the file as written: a number or boolean setting may also be a
 * string (an `${env:…}` reference, checked after it is resolved), but never another type, so
 * `"port": true` is an error rather than port 1.
 */
function asWritten(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(asWritten);
  if (!schema || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, asWritten(value)]));
  const type = (schema as { type?: unknown }).type;
  if (type === 'integer' || type === 'number' || type === 'boolean') copy.type = [type, 'string'];
  return copy;
}
const validateAsWritten = createAjv({ coerceTypes: false }).compile(asWritten(hostConfigSchema) as object);

function checkTypesAsWritten(file: string): void {
  if (!existsSync(file)) return;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch {
    return; // loadConfigFile reports broken JSON with its line
  }
  if (!validateAsWritten(structuredClone(raw))) {
    const typeError = (validateAsWritten.errors ?? []).find((error) => error.keyword === 'type');
    if (!typeError) return; // loadConfigFile reports the other violations
    const [violation] = describeViolations([typeError]);
    throw new CrmsyncError('CRMSYNC_ERR_CONFIG_INVALID', violation!.message, {
      file,
      pointer: violation!.pointer,
    });
  }
}

/** Reads `<configDir>/crmsync.json`; a missing file means every default. */
export function loadHostConfig(configDir: string, env: NodeJS.ProcessEnv = process.env): LoadedHostConfig {
  const file = join(configDir, 'crmsync.json');
  checkTypesAsWritten(file);
  const { value } = loadConfigFile<HostConfig>(file, hostConfigSchema, { optional: true, env });
  // An API key that resolves to nothing (an empty variable) would silently switch access control off.
  if (value.host.apiKey !== undefined && value.host.apiKey.trim() === '') {
    throw new CrmsyncError(
      'CRMSYNC_ERR_CONFIG_INVALID',
      'host.apiKey is empty; set the variable it refers to, or remove the setting to run without an API key',
      { file, pointer: '/host/apiKey' },
    );
  }
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(configDir, path));
  value.dataDir = absolute(value.dataDir);
  value.pluginDirectories = value.pluginDirectories.map(absolute);
  return { configDir, file, config: value };
}

/** The configuration as it may be shown or logged: secrets replaced. */
export function redactHostConfig(config: HostConfig): unknown {
  return redact(config, hostConfigSchema as never);
}
