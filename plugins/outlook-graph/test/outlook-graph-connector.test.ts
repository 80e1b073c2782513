import { expect } from 'chai';
import type { CrmsyncError } from '../../../core/index.js';
import { OutlookGraphConnector } from '../src/outlook-graph-connector.js';

describe('The Outlook (Graph) connector before it is built', () => {
  const connector = new OutlookGraphConnector();

  it('reports itself unhealthy with a reason, so crmsync falls back to the vCard folder', async () => {
    expect(await connector.health()).to.deep.equal({
      ok: false,
      detail: 'the Outlook (Microsoft Graph) connector is not implemented yet',
    });
  });

  it('refuses every operation with a not-implemented error instead of doing nothing', async () => {
    const attempts: [string, () => Promise<unknown>][] = [
      ['Writing Outlook contacts', () => connector.apply()[Symbol.asyncIterator]().next()],
      ['Looking up an earlier create in Outlook', () => connector.findCreated()],
      ['Reading an Outlook contact', () => connector.getContact()],
      ['Listing Outlook contacts', () => connector.listContacts()[Symbol.asyncIterator]().next()],
      ['Reading Outlook contact changes', () => connector.changesSince()[Symbol.asyncIterator]().next()],
    ];
    for (const [what, attempt] of attempts) {
      const error = (await attempt().catch((e: CrmsyncError) => e)) as CrmsyncError;
      expect(error.code, what).to.equal('CRMSYNC_ERR_NOT_IMPLEMENTED');
      expect(error.message).to.equal(`${what} is not implemented (outlook-graph)`);
    }
  });
});
