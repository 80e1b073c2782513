import { expect } from 'chai';
import type { Contact, Fetched } from '../../../../core/index.js';

/**
 * What must hold for any file: every item is a contact or a problem located precisely
 * enough to find it (file, line, and the card number when it concerns a card), and every
 * contact carries the content hash of its card.
 */
export function assertEveryItemReadOrLocated(file: string, results: Fetched<Contact>[]): void {
  for (const result of results) {
    if (result.ok) {
      expect(result.value.ids.groupwareVersion, `${file}: content hash`).to.match(/^[0-9a-f]{64}$/);
      continue;
    }
    const { location, message, code } = result.problem;
    expect(code, `${file}: problem code`).to.match(/^CRMSYNC_ERR_VCARD_/);
    expect(message, `${file}: problem reason`).to.be.a('string').and.not.equal('');
    expect(location.file, `${file}: problem file`).to.equal(file);
    expect(location.line, `${file}: problem line`).to.be.a('number').greaterThan(0);
    if (code !== 'CRMSYNC_ERR_VCARD_OUTSIDE_CARD')
      expect(location.card, `${file}: problem card`).to.be.a('number');
  }
}
