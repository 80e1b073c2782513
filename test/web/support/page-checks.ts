import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../support/paths.js';

const require = createRequire(import.meta.url);
// Handed to the page through the debugging protocol: its own Content-Security-Policy allows no
// script but the client's, and the test must not weaken it.
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Where the tests leave their screenshots (git-ignored), to be looked at by a person. */
export const screenshotDir = join(repoRoot, 'test-output', 'screenshots');

/** The widths the client must work at. */
export const widths = [1280, 800] as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * axe-core's WCAG 2.x level A and AA rules over the page as it is now (an open dialog
 * included); any violation fails the test with each rule, its elements and what is wrong.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const root = page.locator('html');
  // The page's globals are reached through its root element: this file compiles without the DOM's types.
  if (!(await root.evaluate((html) => 'axe' in html.ownerDocument.defaultView)))
    await page.evaluate(axeSource);
  const violations = await root.evaluate(async (html) => {
    const result = await html.ownerDocument.defaultView.axe.run(html.ownerDocument, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    });
    return result.violations;
  });
  const found = violations as AxeViolation[];
  if (found.length > 0)
    throw new Error(
      `axe-core found ${found.length} A/AA violation(s) on ${where}:\n${found
        .map(
          (violation) =>
            `- ${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes
              .slice(0, 5)
              .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`)
              .join('\n')}`,
        )
        .join('\n')}`,
    );
}

/** The page at 1280 and at 800 pixels wide, full length, then back to the width it had. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const before = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(before);
}

/** Each step of a wizard is checked with axe-core and photographed at both widths. */
export async function checkStep(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await screenshots(page, name);
}
