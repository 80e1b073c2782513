import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Page, Route } from 'playwright-core';
import { repoRoot } from '../../support/paths.js';

/**
 * Answers the client asks for knowing they may be 404, which Chromium still logs: "why" for a
 * contact a run did not touch.
 */
const expectedNotFound = [/\/api\/v1\/sync-runs\/[^/]+\/contacts\/[^/]+$/];

/**
 * A browser context on the host's page that records what a user would not see: script
 * errors, console errors, and any request that would leave the host (refused on the spot).
 * `settle()` after each test fails it on any of them, and photographs a page a test left failing.
 */
export class ClientSession {
  private foreignRequests: string[] = [];
  private pageErrors: string[] = [];
  private consoleErrors: string[] = [];
  private allowed: RegExp[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly origin: string,
  ) {}

  static async open(browser: Browser, origin: string): Promise<ClientSession> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    // Waits end well inside mocha's minute per case, with room for a machine busy with other work.
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    const session = new ClientSession(context, page, origin);
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:'))
        return route.continue();
      session.foreignRequests.push(url);
      return route.abort();
    });
    page.on('pageerror', (error) => session.pageErrors.push(error.message));
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      const source = message.location().url;
      if (/status of 404/.test(message.text()) && expectedNotFound.some((pattern) => pattern.test(source)))
        return;
      session.consoleErrors.push(`${message.text()} (${source})`);
    });
    return session;
  }

  /** Opens a page of the client afresh, also when the browser shows that very page already. */
  async goto(hash = '#/'): Promise<void> {
    const url = `${this.origin}/${hash}`;
    if (this.page.url() === url) await this.page.reload();
    else await this.page.goto(url);
    await this.page.locator('main h1').first().waitFor();
  }

  /** A console error the current test causes on purpose (a failing answer it arranged). */
  allowConsoleError(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  /**
   * Holds every answer to URLs matching `pattern` until `release()`: a step the page shows only
   * while it waits (a job's progress) stays on screen to be checked and photographed.
   */
  async hold(pattern: string): Promise<{ release: () => Promise<void> }> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handler = async (route: Route) => {
      await released;
      await route.continue();
    };
    await this.page.route(pattern, handler);
    return {
      release: async () => {
        release();
        await this.page.unroute(pattern, handler);
      },
    };
  }

  /** For `afterEach`: a failed test leaves a screenshot; any error the page logged fails the test. */
  async settle(test: Mocha.Test | undefined): Promise<void> {
    if (test?.state === 'failed') {
      const folder = join(repoRoot, 'test-output', 'failures');
      mkdirSync(folder, { recursive: true });
      const name = test
        .fullTitle()
        .replace(/[^\w-]+/g, '-')
        .slice(0, 120);
      await this.page
        .screenshot({ path: join(folder, `${name}.png`), fullPage: true })
        .catch(() => undefined);
    }
    const problems = [
      ...this.foreignRequests.map((url) => `a request left the host: ${url}`),
      ...this.pageErrors.map((message) => `a script error: ${message}`),
      ...this.consoleErrors
        .filter((text) => !this.allowed.some((pattern) => pattern.test(text)))
        .map((text) => `a console error: ${text}`),
    ];
    this.allowed = [];
    this.foreignRequests = [];
    this.pageErrors = [];
    this.consoleErrors = [];
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
