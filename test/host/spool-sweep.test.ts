import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startHost } from '../../host/boot.js';
import { fixture } from '../support/paths.js';

/** The id of a process that has ended: no process runs under it now. */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('Uploads left on disk by a host that stopped', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'crmsync-spool-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are removed when the host starts, while the files of a process still running stay', async () => {
    const spool = join(dataDir, 'tmp');
    mkdirSync(spool, { recursive: true });
    const dead = endedPid();
    const leftUpload = join(spool, `upload-${dead}-3`);
    const leftExport = join(spool, `export-${dead}-1.ndjson`);
    const running = join(spool, `upload-${process.ppid}-1`);
    const foreign = join(spool, 'notes.txt');
    for (const file of [leftUpload, leftExport, running, foreign]) writeFileSync(file, 'BEGIN:VCARD\r\n');

    const host = await startHost({
      configDir: fixture('host-config'),
      env: { CRMSYNC_TEST_API_KEY: 'spool-test-key', CRMSYNC_TEST_DATA_DIR: dataDir },
      logger: false,
    });
    try {
      expect(existsSync(leftUpload), 'an upload of the stopped process').to.equal(false);
      expect(existsSync(leftExport), 'an export body of the stopped process').to.equal(false);
      expect(existsSync(running), 'an upload of a process still running').to.equal(true);
      expect(existsSync(foreign), 'a file crmsync did not write').to.equal(true);
    } finally {
      await host.close();
    }
  });
});
