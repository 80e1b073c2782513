import { stopOnSignals } from '../stop-on-signals.js';
import { startGraphServer } from './server.js';

/**
 * `npm run graph`: Microsoft Graph for Outlook contacts, emulated over HTTPS.
 * Environment: GRAPH_PORT (8443), GRAPH_MAILBOXES (comma-separated user names),
 * GRAPH_RATE (requests per minute per mailbox, else Outlook's 10,000 per 10 minutes),
 * GRAPH_CA_FILE (where to write the certificate clients must trust; else printed).
 */
const env = process.env;
const port = Number(env.GRAPH_PORT ?? 8443);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`GRAPH_PORT must be a port number, not "${env.GRAPH_PORT}"\n`);
  process.exit(2);
}
const rate = env.GRAPH_RATE ? Number(env.GRAPH_RATE) : undefined;
if (rate !== undefined && !(Number.isInteger(rate) && rate > 0)) {
  process.stderr.write(`GRAPH_RATE must be a whole number of requests per minute, not "${env.GRAPH_RATE}"\n`);
  process.exit(2);
}
const mailboxes = env.GRAPH_MAILBOXES?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const server = await startGraphServer({
  port,
  ...(mailboxes?.length ? { mailboxes } : {}),
  ...(rate ? { throttling: { requestsPerWindow: rate, windowMs: 60_000 } } : {}),
});
const { writeFile } = await import('node:fs/promises');
const caFile = env.GRAPH_CA_FILE;
if (caFile) await writeFile(caFile, server.ca);
process.stdout.write(
  [
    `Microsoft Graph emulator listening at ${server.url}`,
    `  authority:     ${server.authorityHost} (tenant ${server.app.tenantId})`,
    `  client id:     ${server.app.clientId}`,
    `  client secret: ${server.app.clientSecret} (emulator only; pass it as \${env:GRAPH_CLIENT_SECRET})`,
    `  mailboxes:     ${server.store.users.join(', ')}`,
    caFile
      ? `  certificate:   written to ${caFile}`
      : `  certificate (trust it as the only extra CA):\n${server.ca}`,
    '',
  ].join('\n'),
);
stopOnSignals(server);
