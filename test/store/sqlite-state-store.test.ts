import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { CrmsyncError, openStateStore, stateStoreConfigOf } from '../../core/index.js';
import { stateStoreConformance } from './support/state-store-conformance.js';
import { sqliteFixture } from './support/store-fixtures.js';

async function refusal(promise: Promise<unknown>): Promise<CrmsyncError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(CrmsyncError);
    return error as CrmsyncError;
  }
  expect.fail('expected the store to be refused');
}

describe('The state store on SQLite', () => {
  describe('like every state store', () => stateStoreConformance(async () => sqliteFixture()));

  describe('its file', () => {
    let folder: string;
    beforeEach(() => {
      folder = mkdtempSync(join(tmpdir(), 'crmsync-sqlite-'));
    });
    afterEach(() => rmSync(folder, { recursive: true, force: true }));

    it("lives in the host's data folder, which is created when missing", async () => {
      const config = stateStoreConfigOf({
        dataDir: join(folder, 'data'),
        store: { kind: 'sqlite', sqliteFile: 'crmsync.db' },
      });
      expect(config).to.deep.equal({ kind: 'sqlite', file: join(folder, 'data', 'crmsync.db') });
      const store = await openStateStore(config);
      await store.cursors.put('a', 'crm', 'c');
      await store.close();
      const reopened = await openStateStore(config);
      expect(await reopened.cursors.get('a', 'crm')).to.equal('c');
      await reopened.close();
    });

    it('refuses a file that is not a database, naming the file and leaving it untouched', async () => {
      const file = join(folder, 'notes.db');
      const notes = 'these are my notes, not a database\n'.repeat(200);
      writeFileSync(file, notes);
      const error = await refusal(openStateStore({ kind: 'sqlite', file }));
      expect(error.code).to.equal('CRMSYNC_ERR_STORE_UNAVAILABLE');
      expect(error.location.file).to.equal(file);
      expect(error.message).to.contain(file);
      expect(readFileSync(file, 'utf8')).to.equal(notes);
    });

    it('reports a store another process keeps locked as busy once the wait is over', async () => {
      const file = join(folder, 'locked.db');
      const other = new Database(file);
      other.exec('create table theirs (x integer); begin exclusive; insert into theirs values (1);');
      try {
        const started = Date.now();
        const error = await refusal(openStateStore({ kind: 'sqlite', file, busyTimeoutMs: 200 }));
        expect(error.code).to.equal('CRMSYNC_ERR_STORE_BUSY');
        expect(error.location.file).to.equal(file);
        expect(Date.now() - started, 'it waited for the lock first').to.be.at.least(150);
      } finally {
        other.close();
      }
      const store = await openStateStore({ kind: 'sqlite', file });
      expect(await store.links.count('a'), 'usable once the lock is gone').to.equal(0);
      await store.close();
    });
  });
});
