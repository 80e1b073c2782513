import { expect } from 'chai';
import { CrmsyncError, openStateStore, stateStoreConfigOf } from '../../core/index.js';
import { stateStoreConformance } from './support/state-store-conformance.js';
import { postgresFixture } from './support/store-fixtures.js';

describe('The state store on PostgreSQL', () => {
  describe('like every state store', () => stateStoreConformance(postgresFixture));

  it('reports a server that does not answer as unavailable, without the password', async () => {
    let error: unknown;
    try {
      await openStateStore({ kind: 'postgres', url: 'postgres://crmsync:s3cret-pw@127.0.0.1:1/crmsync' });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(CrmsyncError);
    expect((error as CrmsyncError).code).to.equal('CRMSYNC_ERR_STORE_UNAVAILABLE');
    expect((error as CrmsyncError).location.endpoint).to.equal('postgres://127.0.0.1:1/crmsync');
    expect((error as CrmsyncError).message).not.to.contain('s3cret-pw');
  });

  it('refuses a schema name that could say more than a name, before connecting', async () => {
    let error: unknown;
    try {
      await openStateStore({
        kind: 'postgres',
        url: 'postgres://root@127.0.0.1:1/test',
        schema: 'x; drop table y',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(CrmsyncError);
    expect((error as CrmsyncError).code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
  });

  it("takes the server's address from the host configuration, and refuses a configuration without one", () => {
    const url = 'postgres://crmsync@db.internal:5432/crmsync';
    const dataDir = '/var/lib/crmsync';
    expect(
      stateStoreConfigOf({ dataDir, store: { kind: 'postgres', sqliteFile: 'x.db', postgresUrl: url } }),
    ).to.deep.equal({
      kind: 'postgres',
      url,
    });
    expect(() => stateStoreConfigOf({ dataDir, store: { kind: 'postgres', sqliteFile: 'x.db' } }))
      .to.throw(CrmsyncError)
      .with.property('code', 'CRMSYNC_ERR_CONFIG_INVALID');
  });
});
