import { expect } from 'chai';
import type { StoreUnderTest } from './store-under-test.js';

export function describeCursors(t: StoreUnderTest): void {
  describe('cursors', () => {
    it("keeps each side's cursor per account across a restart, until it is replaced or removed", async () => {
      await t.store.cursors.put('a', 'crm', 'c-1');
      await t.store.cursors.put('a', 'groupware', 'g-1');
      await t.store.cursors.put('a', 'crm', 'c-2');
      await t.store.cursors.put('b', 'crm', 'other');
      await t.restart();
      expect(await t.store.cursors.get('a', 'crm')).to.equal('c-2');
      expect(await t.store.cursors.get('a', 'groupware')).to.equal('g-1');
      await t.store.cursors.remove('a', 'crm');
      expect(await t.store.cursors.get('a', 'crm')).to.equal(undefined);
      expect(await t.store.cursors.get('b', 'crm')).to.equal('other');
    });
  });
}
