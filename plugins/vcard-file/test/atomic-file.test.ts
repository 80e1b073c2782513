import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { createFile, type LinkFile } from '../src/folder/atomic-file.js';
import { TempFolder } from './support/temp-folder.js';

/** A file system without hard links, as FAT and exFAT USB sticks and some SMB shares are. */
function failingLink(code: string): LinkFile & { calls: number } {
  const link = Object.assign(
    async () => {
      link.calls++;
      throw Object.assign(new Error(`${code}: operation not permitted, link`), { code });
    },
    { calls: 0 },
  );
  return link;
}

describe('Creating a file in the vCard folder', () => {
  let temp: TempFolder;
  beforeEach(() => {
    temp = new TempFolder();
  });
  afterEach(() => temp.dispose());

  for (const code of ['EPERM', 'ENOTSUP', 'EXDEV', 'ENOSYS']) {
    it(`creates the file on a file system whose hard links fail with ${code}`, async () => {
      const path = temp.join('neu.vcf');
      const link = failingLink(code);
      expect(await createFile(path, Buffer.from('BEGIN:VCARD\r\n'), link)).to.equal(true);
      expect(link.calls).to.equal(1);
      expect(readFileSync(path, 'utf8')).to.equal('BEGIN:VCARD\r\n');
      expect(readdirSync(temp.path)).to.deep.equal(['neu.vcf']);
    });
  }

  it('never overwrites an existing file when it has to do without hard links', async () => {
    const path = temp.join('da.vcf');
    writeFileSync(path, 'schon da');
    expect(await createFile(path, Buffer.from('neu'), failingLink('EPERM'))).to.equal(false);
    expect(readFileSync(path, 'utf8')).to.equal('schon da');
    expect(readdirSync(temp.path)).to.deep.equal(['da.vcf']);
  });

  it('passes on any other failure of the link and leaves no temporary file', async () => {
    const error = await createFile(temp.join('x.vcf'), Buffer.from('x'), failingLink('EACCES')).catch(
      (e: Error) => e,
    );
    expect((error as NodeJS.ErrnoException).code).to.equal('EACCES');
    expect(readdirSync(temp.path)).to.deep.equal([]);
  });
});
