import { expect } from 'chai';
import { startCrmServer } from '../../emulators/crm/index.js';
import { installationFor, scratchFolder } from './support/cli-world.js';

describe('The roles of a crmsync process on the embedded SQLite store', function () {
  this.timeout(60_000);
  const folder = scratchFolder();
  after(() => folder.cleanUp());

  it('refuses a worker, and a host without one, saying that jobs on a queue need PostgreSQL', async () => {
    const crm = await startCrmServer({ port: 0, seed: false });
    try {
      const cli = installationFor(folder.path, 'sqlite', crm);
      const worker = await cli.run('worker');
      const apiOnly = await cli.run('serve', '--no-worker');
      expect(worker.code, worker.stderr).to.equal(3);
      expect(worker.stderr).to.contain('store.kind "postgres"').and.to.contain('/store/kind');
      expect(apiOnly.code, apiOnly.stderr).to.equal(3);
      expect(apiOnly.stderr).to.contain('/jobs/worker');
    } finally {
      await crm.close();
    }
  });
});
