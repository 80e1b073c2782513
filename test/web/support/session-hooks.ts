import type { Browser, Page } from 'playwright-core';
import { ClientSession } from './client-session.js';

export interface SessionHandle {
  readonly session: ClientSession;
  readonly page: Page;
}

/**
 * Mocha hooks for the enclosing `describe`: a fresh browser context on the host before its
 * cases, each case settled after it (page errors fail it, a failure leaves a screenshot), the
 * context closed at the end.
 */
export function browserSession(browser: () => Browser, origin: () => string): SessionHandle {
  let current: ClientSession | undefined;
  const opened = () => {
    if (!current) throw new Error('the browser session did not open');
    return current;
  };
  before(async () => {
    current = await ClientSession.open(browser(), origin());
  });
  afterEach(async function () {
    await opened().settle(this.currentTest);
  });
  after(async () => current?.close());
  return {
    get session() {
      return opened();
    },
    get page() {
      return opened().page;
    },
  };
}
