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
  contactFolder: string;
  graphBaseUrl: string;
  authorityHost: string;
  /** A PEM file with a certificate authority to trust besides the system's (the emulator's). */
  caFile?: string;
  requestBudget?: { requests: number; windowSeconds: number };
}

const envReference = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * The connector's options, or why Outlook is not configured (then the kernel falls back to
 * the vCard folder). A secret written into the file instead of `${env:…}` is refused outright.
 */
export function outlookOptions(context: PluginContext): OutlookGraphOptions | { notConfigured: string } {
  const config = context.config as unknown as OutlookGraphConfig;
  const file = join(context.configDir, 'plugins', `${context.pluginId}.json`);
  const missing = (['tenantId', 'clientId', 'mailbox'] as const).filter((name) => !config[name]);
  if (!config.clientSecret && !config.certificatePath) missing.push('clientSecret' as never);
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
  return {
    tenantId: config.tenantId!,
    clientId: config.clientId!,
    mailbox: config.mailbox!,
    contactFolder: config.contactFolder,
    graphBaseUrl: config.graphBaseUrl,
    authorityHost: config.authorityHost,
    logger: context.logger,
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
