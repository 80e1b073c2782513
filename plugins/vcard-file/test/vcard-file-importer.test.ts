import { expect } from 'chai';
import type { RecordProblem } from '../../../core/index.js';
import { VcardFileImporter } from '../src/vcard-file-importer.js';
import { collect, handWrittenCard } from './support/contacts.js';
import { arriving } from './support/sinks.js';

const brokenPhotoCard = handWrittenCard('Bernd Bruch', ['PHOTO;ENCODING=b;TYPE=JPEG:qgEPAAIAAAAH!!!:ASDF==']);

describe('Importing an uploaded vCard file', () => {
  it('imports every other card when one card is broken, and says where the broken one is', async () => {
    const file = handWrittenCard('Eva Wolf') + brokenPhotoCard + handWrittenCard('Paul Roth');
    const items = await collect(new VcardFileImporter().importFile(arriving(file, 100), 'upload.vcf'));
    const contacts = items.flatMap((item) => (item.ok ? [item.value.displayName] : []));
    const problems = items.flatMap((item) => (item.ok ? [] : [item.problem]));
    expect(contacts).to.deep.equal(['Eva Wolf', 'Paul Roth']);
    expect(problems).to.have.length(1);
    const problem = problems[0] as RecordProblem;
    expect(problem.location).to.deep.include({ file: 'upload.vcf', card: 2, line: 10, field: 'PHOTO' });
    expect(problem.message).to.match(/base64/);
  });

  it('rejects a card over the size limit with a clear error instead of reading it', async () => {
    const huge = handWrittenCard('Gabi Groß', [`NOTE:${'x'.repeat(200_000)}`]);
    const file = handWrittenCard('Eva Wolf') + huge;
    const items = await collect(
      new VcardFileImporter({ maxCardBytes: 64 * 1024 }).importFile(arriving(file), 'gross.vcf'),
    );
    expect(items[0]?.ok).to.equal(true);
    expect(items[1]?.ok).to.equal(false);
    if (items[1]?.ok === false) {
      expect(items[1].problem.code).to.equal('CRMSYNC_ERR_VCARD_TOO_LARGE');
      expect(items[1].problem.location).to.deep.include({ file: 'gross.vcf', card: 2 });
    }
  });

  it('gives the first contact of an upload before the rest of the file has arrived', async () => {
    let arrived = 0;
    async function* upload(): AsyncIterable<Uint8Array> {
      for (const name of ['Eva Wolf', 'Paul Roth', 'Ida Sommer']) {
        arrived++;
        yield Buffer.from(handWrittenCard(name), 'utf8');
      }
    }
    const contacts = new VcardFileImporter().importFile(upload(), 'upload.vcf')[Symbol.asyncIterator]();
    const first = await contacts.next();
    expect(first.value?.ok && first.value.value.displayName).to.equal('Eva Wolf');
    expect(arrived).to.be.at.most(2);
    await contacts.return?.();
  });
});
