import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { HostLimits } from '../../core/index.js';
import { spoolExportBody } from '../../host/server/files/export-body.js';

const limits: HostLimits = {
  uploadBytes: 1 << 30,
  exportBodyBytes: 1 << 30,
  exportContacts: 100_000,
  exportValueChars: 1 << 20,
  previewContacts: 10,
  previewProblems: 10,
  heavyRequests: 1,
};

/** `{ "contacts": [ … ] }` with `count` contacts, in chunks of 10,000 contacts. */
async function* contactsBody(count: number): AsyncIterable<Uint8Array> {
  yield Buffer.from('{"contacts":[');
  for (let sent = 0; sent < count; sent += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, count - sent) }, (_, i) =>
      JSON.stringify({ surname: `Müller${sent + i}`, notes: 'x'.repeat(200) }),
    );
    yield Buffer.from(`${sent ? ',' : ''}${batch.join(',')}`);
  }
  yield Buffer.from(']}');
}

describe('An export body set aside on disk', () => {
  let spoolDir: string;
  beforeEach(() => {
    spoolDir = mkdtempSync(join(tmpdir(), 'crmsync-spool-'));
  });
  afterEach(() => rmSync(spoolDir, { recursive: true, force: true }));

  it('refuses one contact too many while its spool is still being written, and leaves no file behind', async () => {
    const error = await spoolExportBody(contactsBody(150_000), limits, spoolDir).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(error?.code).to.equal('CRMSYNC_ERR_TOO_LARGE');
    // Give a write that was pending when the spool was dropped the time to report its end.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readdirSync(spoolDir)).to.deep.equal([]);
  });

  it('keeps every contact of a body within the limits, in order', async () => {
    const spooled = await spoolExportBody(contactsBody(25_000), limits, spoolDir);
    try {
      expect(spooled.count).to.equal(25_000);
      let index = 0;
      for await (const contact of spooled.contacts()) expect(contact.surname).to.equal(`Müller${index++}`);
      expect(index).to.equal(25_000);
    } finally {
      spooled.discard();
    }
    expect(existsSync(spoolDir) && readdirSync(spoolDir)).to.deep.equal([]);
  });
});
