import { describeAccess } from './conformance/access.js';
import { describeBlobs } from './conformance/blobs.js';
import { describeCandidateIndex } from './conformance/candidate-index.js';
import { describeCursors } from './conformance/cursors.js';
import { describeJournal } from './conformance/journal.js';
import { describeLeases } from './conformance/leases.js';
import { describeLinks } from './conformance/links.js';
import { describePlans } from './conformance/plans.js';
import { describeSchema } from './conformance/schema.js';
import { StoreUnderTest } from './conformance/store-under-test.js';
import { describeTransactions } from './conformance/transactions.js';
import type { StoreFixture } from './store-fixtures.js';

/**
 * What every state store must do, as the engine and the people using crmsync notice it. Run
 * against each dialect with a fixture that hands out empty stores: every test gets one.
 */
export function stateStoreConformance(makeFixture: () => Promise<StoreFixture>): void {
  const t = new StoreUnderTest();

  before(async () => {
    t.fixture = await makeFixture();
  });
  after(async () => {
    await t.fixture?.cleanup();
  });
  beforeEach(() => t.openFresh());
  afterEach(() => t.store.close());

  describeLinks(t);
  describeTransactions(t);
  describePlans(t);
  describeCursors(t);
  describeJournal(t);
  describeLeases(t);
  describeBlobs(t);
  describeCandidateIndex(t);
  describeAccess(t);
  describeSchema(t);
}
