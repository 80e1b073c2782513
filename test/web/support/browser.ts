import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium; the tests never download a browser of their own. */
export const chromiumPath = process.env.CRMSYNC_CHROMIUM ?? '/usr/bin/chromium';

/**
 * One headless Chromium for the whole run. Without the background-networking switches it
 * reaches out to the network for updates and field trials; these tests stay on loopback.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(
      `the browser tests need Chromium at ${chromiumPath}: install it with "apt-get install -y chromium" (.ci/run does), or set CRMSYNC_CHROMIUM`,
    );
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
