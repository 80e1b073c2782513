import { connectorSuite } from './support/connector-suite.js';
import { referenceHarness } from './support/reference-harness.js';

connectorSuite('the reference CRM (profiles/reference-crm.json)', referenceHarness);
