import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { CrmsyncError, emptyContact, openStateStore, stateStoreConfigOf } from '../../core/index.js';
import { expectScreening } from '../support/candidate-screening.js';
import { ageScreenModule } from './support/age-screen.js';
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

    it('reports a store another process locks during a rebuild as busy, and the index as still to be rebuilt', async () => {
      const file = join(folder, 'rebuilt.db');
      const store = await openStateStore({ kind: 'sqlite', file, busyTimeoutMs: 200 });
      const other = new Database(file);
      try {
        await store.candidates.setState({ rulesFingerprint: 'rules-v1' });
        // The first contacts are written from the rebuild's own thread before the other process locks.
        let locking = true;
        function* fromTheCrm() {
          for (let n = 0; n < 12_000; n++) {
            if (n === 6_000 && locking) other.exec('begin immediate');
            yield {
              crmId: `c${n}`,
              contact: { ...emptyContact(), ids: { crmId: `c${n}` } },
              keys: [`k:${n}`],
            };
          }
        }
        const error = await refusal(store.candidates.rebuild(fromTheCrm(), { rulesFingerprint: 'rules-v2' }));
        expect(error.code).to.equal('CRMSYNC_ERR_STORE_BUSY');
        expect(error.location.file).to.equal(file);
        other.exec('rollback');
        locking = false;
        expect(
          await store.candidates.getState(),
          'no fingerprint: rebuilt before the next use',
        ).to.deep.equal({});
        const count = await store.candidates.rebuild(fromTheCrm(), { rulesFingerprint: 'rules-v2' });
        expect(count).to.equal(12_000);
        expect(
          (await store.candidates.candidates([['k:11999']]))[0]!.map((found) => found.crmId),
        ).to.deep.equal(['c11999']);
      } finally {
        other.close();
        await store.close();
      }
    });

    it("screens candidates on threads of its own with a rule's screen module, not its function", async () => {
      const store = await openStateStore({ kind: 'sqlite', file: join(folder, 'screened.db') });
      try {
        // The function lets every pair through: only the module rules the older contact out.
        await expectScreening(store.candidates, {
          id: 'near',
          mayMatch: () => true,
          module: ageScreenModule,
        });
      } finally {
        await store.close();
      }
    });

    it('refuses a screen module without a mayMatch function, naming the module', async () => {
      const store = await openStateStore({ kind: 'sqlite', file: join(folder, 'screened.db') });
      const module = new URL('../../core/store/key-hash.js', import.meta.url).href;
      try {
        await store.candidates.upsert([
          { crmId: 'c1', contact: { ...emptyContact(), ids: { crmId: 'c1' } }, keys: ['k'] },
        ]);
        const failure = await store.candidates
          .screen(
            [{ keys: ['k'], keyRules: [1], profiles: [{}] }],
            [{ id: 'near', mayMatch: () => true, module }],
          )
          .then(
            () => expect.fail('expected the screen to be refused'),
            (error: unknown) => error as Error,
          );
        expect(failure.message).to.equal(`the screen module ${module} exports no function mayMatch`);
      } finally {
        await store.close();
      }
    });

    it('refuses a rebuild that names one CRM contact twice with the database code, and keeps nothing of it', async () => {
      const file = join(folder, 'twice.db');
      const store = await openStateStore({ kind: 'sqlite', file });
      try {
        const entry = (crmId: string) => ({
          crmId,
          contact: { ...emptyContact(), ids: { crmId } },
          keys: [`k:${crmId}`],
        });
        const contacts = [...Array.from({ length: 3_000 }, (_, n) => entry(`c${n}`)), entry('c17')];
        const failure = await store.candidates.rebuild(contacts, { rulesFingerprint: 'rules-v2' }).then(
          () => expect.fail('expected the rebuild to fail'),
          (error: unknown) => error as { code?: string },
        );
        expect(failure.code).to.equal('SQLITE_CONSTRAINT_UNIQUE');
        expect(await store.candidates.getState()).to.deep.equal({});
      } finally {
        await store.close();
      }
    });
  });
});
