import type { Browser } from 'playwright-core';
import { accountChoiceCases } from './cases/account-choice.js';
import { brokenLinkCases } from './cases/broken-links.js';
import { contactToggleCases } from './cases/contact-toggle.js';
import { exportSearchCases } from './cases/export-search.js';
import { exportWizardCases } from './cases/export-wizard.js';
import { importReviewCases } from './cases/import-review.js';
import { importWizardCases } from './cases/import-wizard.js';
import { largePlanCases } from './cases/large-plan.js';
import { narrowWindowCases } from './cases/narrow-window.js';
import { pageFailureCases } from './cases/page-failure.js';
import { signInCases } from './cases/sign-in.js';
import { syncStatusCases } from './cases/sync-status.js';
import { launchBrowser } from './support/browser.js';

/**
 * The web client driven in Debian's Chromium against a real host — the reference CRM and a
 * vCard folder as the groupware — as a user clicks and types. One browser serves every case;
 * each group of cases has its own host and browser context.
 */
describe('The web client in a browser', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => browser?.close());
  const shared = () => {
    if (!browser) throw new Error('the browser did not start');
    return browser;
  };

  exportWizardCases(shared);
  exportSearchCases(shared);
  importWizardCases(shared);
  importReviewCases(shared);
  contactToggleCases(shared);
  syncStatusCases(shared);
  largePlanCases(shared);
  signInCases(shared);
  narrowWindowCases(shared);
  brokenLinkCases(shared);
  pageFailureCases(shared);
  accountChoiceCases(shared);
});
