import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VcardOutlookExport } from '../../plugins/vcard-file/src/export/vcard-outlook-export.js';
import { figure, quick } from '../support/report.js';
import { preparePool, streamedContacts } from './contacts.js';

// The Outlook export: peak RSS of a ZIP of `large` contacts against one of `small` (bounded
// memory), and 20,000 contacts of one name into a ZIP and into a folder (linear naming).
const large = quick ? 10_000 : 100_000;
const small = large / 10;
const sameName = 20_000;
const here = dirname(fileURLToPath(import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'crmsync-bench-vcard-export-'));

interface ChildResult {
  written: number;
  seconds: number;
  peakRssMiB: number;
}

function zipInChild(count: number): ChildResult & { bytes: number } {
  const target = join(folder, `${count}.zip`);
  const out = execFileSync(process.execPath, [join(here, 'zip-child.js'), String(count), target], {
    encoding: 'utf8',
  });
  const result = JSON.parse(out) as ChildResult;
  if (result.written !== count) throw new Error(`the export wrote ${result.written} of ${count} contacts`);
  const bytes = statSync(target).size;
  rmSync(target);
  return { ...result, bytes };
}

try {
  const smallRun = zipInChild(small);
  const largeRun = zipInChild(large);
  figure(`vcard-outlook zip ${small} contacts peak rss`, smallRun.peakRssMiB, 'MiB');
  figure(`vcard-outlook zip ${large} contacts peak rss`, largeRun.peakRssMiB, 'MiB');
  figure(`vcard-outlook zip ${large} contacts size`, largeRun.bytes / 1024 / 1024, 'MiB');
  figure(`vcard-outlook zip ${large} contacts`, large / largeRun.seconds, 'contacts/s');

  preparePool();
  let start = performance.now();
  let bytes = 0;
  await new VcardOutlookExport().export(streamedContacts(sameName, true), {
    start: () => undefined,
    write: async (chunk) => {
      bytes += chunk.length;
    },
  });
  figure(`vcard-outlook zip ${sameName} same-name contacts`, (performance.now() - start) / 1000, 's');

  const target = join(folder, 'outlook');
  start = performance.now();
  await new VcardOutlookExport({ targetFolder: target }).export(streamedContacts(sameName, true), {
    start: () => undefined,
    write: async () => undefined,
  });
  figure(`vcard-outlook-folder ${sameName} same-name contacts`, (performance.now() - start) / 1000, 's');
  const files = readdirSync(target).length;
  if (files !== sameName || bytes === 0)
    throw new Error(`the folder export wrote ${files} of ${sameName} files`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
