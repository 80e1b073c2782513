import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { CrmsyncError, type PluginContext } from '../../../core/index.js';
import type { OutlookGraphOptions } from './outlook-graph-connector.js';

/** The plugin's configuration (`config/plugins/outlook-graph.json`) as the kernel hands it over. */
export interface OutlookGraphConfig {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  certificatePath?: string;
  mailbox?: string;
  mailboxes: string[];
  contactFolder: string;
  graphBaseUrl: string;
  authorityHost: string;
  /** A PEM file with a certificate authority to trust besides the system's (the emulator's). */
  caFile?: string;
  requestBudget?: { requests: number; windowSeconds: number };
}

const envReference = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

/** What every mailbox's connector shares, and the mailboxes: the default first. */
export interface OutlookAccountsOptions {
  shared: Omit<OutlookGraphOptions, 'mailbox'>;
  mailboxes: string[];
}

/**
 * The connectors' options, or why Outlook is not configured (then the kernel falls back to
 * the vCard folder). A secret written into the file instead of `${env:…}` is refused outright,
 * and so is a mailbox named twice.
 */
export function outlookOptions(context: PluginContext): OutlookAccountsOptions | { notConfigured: string } {
  const config = context.config as unknown as OutlookGraphConfig;
  const file = join(context.configDir, 'plugins', `${context.pluginId}.json`);
  const missing: string[] = (['tenantId', 'clientId'] as const).filter((name) => !config[name]);
  if (!config.mailbox && config.mailboxes.length === 0) missing.push('mailbox');
  if (!config.clientSecret && !config.certificatePath) missing.push('clientSecret');
  if (missing.length > 0) return { notConfigured: `${missing.join(', ')} missing in ${file}` };
  if (config.clientSecret !== undefined) checkSecretIsReference(file);
  const resolve = (path: string) => (isAbsolute(path) ? path : join(context.configDir, path));
  let ca: string | undefined;
  if (config.caFile) {
    const caPath = resolve(config.caFile);
    if (!existsSync(caPath))
      return { notConfigured: `the certificate authority file ${caPath} does not exist` };
    ca = readFileSync(caPath, 'utf8');
  }
  const shared: Omit<OutlookGraphOptions, 'mailbox'> = {
    tenantId: config.tenantId!,
    clientId: config.clientId!,
    contactFolder: config.contactFolder,
    graphBaseUrl: config.graphBaseUrl,
    authorityHost: config.authorityHost,
    logger: context.logger,
    outbound: context.outbound,
    ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
    ...(config.certificatePath ? { certificatePath: resolve(config.certificatePath) } : {}),
    ...(ca ? { ca } : {}),
    ...(config.requestBudget
      ? {
          budget: {
            requestsPerWindow: config.requestBudget.requests,
            windowMs: config.requestBudget.windowSeconds * 1000,
          },
        }
      : {}),
  };
  return { shared, mailboxes: mailboxesOf(config, file) };
}

/** `mailbox` and then `mailboxes`; the same mailbox in another spelling would be a second account of one. */
function mailboxesOf(config: OutlookGraphConfig, file: string): string[] {
  const named = [
    ...(config.mailbox ? [{ mailbox: config.mailbox, pointer: '/mailbox' }] : []),
    ...config.mailboxes.map((mailbox, index) => ({ mailbox, pointer: `/mailboxes/${index}` })),
  ];
  const seen = new Set<string>();
  for (const { mailbox, pointer } of named) {
    const key = mailbox.trim().toLowerCase();
    if (seen.has(key))
      throw new CrmsyncError(
        'CRMSYNC_ERR_CONFIG_INVALID',
        `the mailbox ${mailbox} is configured twice; each mailbox is one account`,
        { file, pointer },
      );
    seen.add(key);
  }
  return named.map(({ mailbox }) => mailbox);
}

/** The secret must come from the environment: the file itself names the variable, nothing more. */
function checkSecretIsReference(file: string): void {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  const written = (raw as { clientSecret?: unknown }).clientSecret;
  if (typeof written === 'string' && !envReference.test(written.trim())) {
    throw new CrmsyncError(
      'CRMSYNC_ERR_CONFIG_INVALID',
      'the client secret must be given as ${env:NAME} (without a fallback), never written into the file',
      { file, pointer: '/clientSecret' },
    );
  }
}
