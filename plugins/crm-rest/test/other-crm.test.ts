import { connectorSuite } from './support/connector-suite.js';
import { otherHarness } from './support/other-harness.js';

// Same suite, a CRM of a wholly different shape, a second profile — and no code change.
connectorSuite('a differently shaped CRM (test/support/other-crm.profile.json)', otherHarness);
