import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CrmServer, type PartnerDoc, startCrmServer } from '../../../emulators/crm/index.js';
import { repoRoot } from '../../support/paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A crmsync installation of its own: a configuration folder and a data folder, against one reference CRM. */
export interface Installation {
  configDir: string;
  dataDir: string;
  crm: CrmServer;
  /** The environment every command of this installation runs with, for a process a test starts itself. */
  env: NodeJS.ProcessEnv;
  /** Runs `node dist/host/cli/crmsync.js …` as a user would, in a child process. */
  run(...args: string[]): Promise<CliResult>;
}

const cliPath = join(repoRoot, 'dist', 'host', 'cli', 'crmsync.js');

/** `input` is what the command reads on standard input (a password); it is closed after it. */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd = repoRoot,
  input = '',
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, ...env } });
    child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A scratch folder removed by `cleanUp`. */
export function scratchFolder(): { path: string; cleanUp(): void } {
  const path = mkdtempSync(join(tmpdir(), 'crmsync-cli-'));
  return { path, cleanUp: () => rmSync(path, { recursive: true, force: true }) };
}

/** Configuration for a crmsync that talks to `crm`, keeps its state under `root`, and starts no CRM of its own. */
export function installationFor(root: string, name: string, crm: CrmServer): Installation {
  const configDir = join(root, name, 'config');
  const dataDir = join(root, name, 'data');
  mkdirSync(join(configDir, 'plugins'), { recursive: true });
  writeFileSync(
    join(configDir, 'crmsync.json'),
    JSON.stringify({
      host: { address: '127.0.0.1', port: 0, logLevel: 'warn' },
      dataDir,
      store: { kind: 'sqlite', sqliteFile: 'crmsync.db' },
      connectors: { crm: 'crm-rest', groupware: 'vcard-file', fallback: 'vcard-file' },
      embedded: { referenceCrm: { enabled: false } },
    }),
  );
  copyFileSync(
    join(repoRoot, 'config', 'plugins', 'crm-rest.json'),
    join(configDir, 'plugins', 'crm-rest.json'),
  );
  const env = { CRMSYNC_CONFIG: configDir, CRMSYNC_REFERENCE_CRM_URL: crm.origin, CRM_API_KEY: crm.apiKey };
  return { configDir, dataDir, crm, env, run: (...args) => runCli(args, env) };
}

/** A reference CRM with demo data: partners, contacts, and a photo on one contact in `photoEvery`. */
export function startSeededCrm(contacts: number, partners: number): Promise<CrmServer> {
  return startCrmServer({ port: 0, seed: { seed: 13, contacts, partners, photoEvery: 3 } });
}

/**
 * For a describe block: a scratch folder and a seeded reference CRM, started before its tests
 * and removed after them. `crm()` answers the running CRM.
 */
export function seededCrmPerSuite(contacts: number, partners: number): { scratch: string; crm(): CrmServer } {
  const folder = scratchFolder();
  let crm: CrmServer | undefined;
  before(async () => {
    crm = await startSeededCrm(contacts, partners);
  });
  after(async () => {
    await crm?.close();
    folder.cleanUp();
  });
  return {
    scratch: folder.path,
    crm: () => {
      if (!crm) throw new Error('the CRM is started by the suite before its tests');
      return crm;
    },
  };
}

/** A reference CRM started empty except for `partners`, as a second company's CRM would share its customers. */
export async function startCrmWithPartners(partners: readonly PartnerDoc[]): Promise<CrmServer> {
  const crm = await startCrmServer({ port: 0, seed: false });
  crm.store.insertPartners(partners);
  return crm;
}

export function partnersOf(crm: CrmServer): PartnerDoc[] {
  return crm.store.searchPartners({}, 0, 10_000).docs.map((doc) => JSON.parse(doc) as PartnerDoc);
}
