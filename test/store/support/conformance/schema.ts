import { expect } from 'chai';
import { openStateStore } from '../../../../core/index.js';
import { link, rejection, type StoreUnderTest } from './store-under-test.js';

export function describeSchema(t: StoreUnderTest): void {
  describe('its schema', () => {
    it('answers a health check while it can be used, and fails it once closed', async () => {
      await t.store.check();
      await t.store.close();
      const failed = await t.store.check().then(
        () => false,
        () => true,
      );
      expect(failed).to.equal(true);
    });

    it('refuses a store whose schema a newer crmsync changed, and leaves it as it was', async () => {
      await t.store.links.put(link('c1', 'g1'));
      await t.store.close();
      await t.fixture.execute(
        t.config,
        "insert into crmsync_migration (name, timestamp) values ('9999-from-the-future', '2030')",
      );
      const error = await rejection(openStateStore(t.config));
      expect(error.code).to.equal('CRMSYNC_ERR_STORE_NEWER_SCHEMA');
      expect(error.message).to.contain('9999-from-the-future');
      await t.fixture.execute(t.config, "delete from crmsync_migration where name = '9999-from-the-future'");
      t.store = await openStateStore(t.config);
      expect(await t.store.links.count('vcard-file:/srv/a')).to.equal(1);
    });
  });
}
