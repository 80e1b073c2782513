import { join } from 'node:path';
import { expect } from 'chai';
import { openStateStore } from '../../core/index.js';
import { createRuntime } from '../../host/runtime.js';
import { buildApp } from '../../host/server/app.js';
import { configFolder } from './support/config-folder.js';

describe('Readiness of the embedded host', function () {
  this.timeout(60_000);

  it('reports the state store and the in-process queue, and is not ready once the store stops answering', async () => {
    const folder = configFolder().host({ embedded: { referenceCrm: { enabled: false } } });
    const store = await openStateStore({ kind: 'sqlite', file: join(folder.dir, 'data', 'state.db') });
    const runtime = await createRuntime({ configDir: folder.dir, logger: false, stateStore: store });
    const app = await buildApp(runtime);
    try {
      const ready = await app.inject({ url: '/health/ready' });
      expect(ready.json()).to.deep.include({
        database: { ok: true, kind: 'sqlite' },
        queue: { ok: true, kind: 'in-process', depth: 0, worker: true },
      });
      await store.close();
      const gone = await app.inject({ url: '/health/ready' });
      expect(gone.statusCode).to.equal(503);
      expect(gone.json()).to.deep.include({ ready: false });
      expect(gone.json().database).to.include({ ok: false, kind: 'sqlite' });
      expect(gone.json().database.detail).to.be.a('string').that.is.not.empty;
      expect((await app.inject({ url: '/health' })).statusCode, 'the process still lives').to.equal(200);
    } finally {
      await app.close();
      folder.remove();
    }
  });
});
