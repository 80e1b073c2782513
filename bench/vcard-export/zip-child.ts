import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { VcardOutlookExport } from '../../plugins/vcard-file/src/export/vcard-outlook-export.js';
import { peakRssMiB } from '../support/report.js';
import { preparePool, streamedContacts } from './contacts.js';

// One ZIP export in a process of its own, so that its peak RSS is the export's alone.
const [countText, target] = process.argv.slice(2);
if (!countText || !target) throw new Error('usage: zip-child.js <count> <file.zip>');
preparePool();
const out = createWriteStream(target);
const start = performance.now();
const report = await new VcardOutlookExport().export(streamedContacts(Number(countText)), {
  start: () => undefined,
  write: async (chunk) => {
    if (!out.write(chunk)) await once(out, 'drain');
  },
});
await new Promise<void>((resolve) => out.end(resolve));
const seconds = (performance.now() - start) / 1000;
process.stdout.write(`${JSON.stringify({ written: report.written, seconds, peakRssMiB: peakRssMiB() })}\n`);
