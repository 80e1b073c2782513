import { existsSync, mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { expect } from 'chai';
import type { CrmsyncError } from '../../../core/index.js';
import { FolderGuard, type StatFolder } from '../src/folder/folder-guard.js';
import { TempFolder } from './support/temp-folder.js';

describe('Guarding the vCard folder against looking empty', () => {
  let temp: TempFolder;
  beforeEach(() => {
    temp = new TempFolder();
  });
  afterEach(() => temp.dispose());

  /** The real file system, except that the share's folder lies on device 99 while `mounted`. */
  function share(folder: string, state: { mounted: boolean }): StatFolder {
    return async (path) => {
      const real = await stat(path);
      const dev = path === folder && state.mounted ? 99 : Number(real.dev);
      return { isDirectory: () => real.isDirectory(), dev };
    };
  }

  it('reports a share that is not mounted as missing, though its empty mount point is still there', async () => {
    const folder = temp.join('mnt', 'kontakte');
    mkdirSync(folder, { recursive: true });
    const state = { mounted: true };
    await new FolderGuard(folder, temp.join('state'), share(folder, state)).ready();

    state.mounted = false;
    // A new guard, as after a restart: what was configured is read back from the state folder.
    const guard = new FolderGuard(folder, temp.join('state'), share(folder, state));
    const error = await guard.ready().catch((e: CrmsyncError) => e);
    expect((error as CrmsyncError).code).to.equal('CRMSYNC_ERR_FOLDER_MISSING');
    expect(existsSync(dirname(folder))).to.equal(true);

    state.mounted = true;
    await guard.ready();
  });

  it('takes a plain folder on its parent’s device for what it is', async () => {
    const folder = temp.join('kontakte');
    const guard = new FolderGuard(folder, temp.join('state'));
    await guard.ready();
    expect(existsSync(folder)).to.equal(true);
    await new FolderGuard(folder, temp.join('state')).ready();
  });
});
