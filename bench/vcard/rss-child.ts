import { createReadStream } from 'node:fs';
import { readVCards } from '../../plugins/vcard-file/src/read/index.js';
import { peakRssMiB } from '../support/report.js';

// Reads one file card by card in a process of its own, so that its peak RSS is the read's alone.
const file = process.argv[2];
if (!file) throw new Error('usage: rss-child.js <file.vcf>');
let cards = 0;
let problems = 0;
for await (const item of readVCards(createReadStream(file), { file })) {
  if (item.ok) cards++;
  else problems++;
}
process.stdout.write(`${JSON.stringify({ cards, problems, peakRssMiB: peakRssMiB() })}\n`);
