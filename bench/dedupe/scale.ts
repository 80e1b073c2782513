import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contact } from '../../core/index.js';
import {
  classifyContacts,
  indexEntry,
  MemoryCandidateIndex,
  type NamedRule,
  rulesFingerprint,
} from '../../core/pipeline/dedupe/index.js';
import { openStateStore } from '../../core/store/open-state-store.js';
import type { CandidateIndex, IndexedContact } from '../../core/store/state-store.js';
import {
  PossiblePersonRule,
  SureEmailRule,
  SureSurnameMobileRule,
} from '../../plugins/dedupe-rules/src/index.js';
import { figure } from '../support/report.js';
import { germanCrmContactStream, incomingContacts } from './german-crm.js';

/** Contacts generated from one seed: the same CRM whatever the size of the benchmark's steps. */
const block = 20_000;

export interface SureCount {
  found: number;
  right: number;
}

/**
 * The shipped rules over a generated German CRM: the index build (rebuild from scratch), then
 * 10,000 incoming contacts (30 % of them CRM contacts typed in again) classified against it.
 * The index is the state store's SQLite one, as the engine uses it, unless
 * `DEDUPE_INDEX=memory` asks for the one in memory.
 */
export async function scaleFigures(crmSize: number, incomingSize: number): Promise<SureCount> {
  const rules: NamedRule[] = [
    { id: 'sure-email', rule: new SureEmailRule() },
    { id: 'sure-surname-mobile', rule: new SureSurnameMobileRule() },
    { id: 'possible-person', rule: new PossiblePersonRule() },
  ];
  const folder = mkdtempSync(join(tmpdir(), 'crmsync-dedupe-bench-'));
  const inMemory = process.env.DEDUPE_INDEX === 'memory';
  const store = inMemory
    ? undefined
    : await openStateStore({ kind: 'sqlite', file: join(folder, 'state.db') });
  try {
    const index: CandidateIndex = store?.candidates ?? new MemoryCandidateIndex();
    // The CRM's contacts arrive one at a time, as a CRM's change feed delivers them page by
    // page, so each is garbage as soon as it is indexed. The first of each block are kept
    // as the ones typed in again.
    const sampled = Math.ceil((incomingSize * block) / crmSize);
    const sample: Contact[] = [];
    function* crm(): Iterable<Contact> {
      for (let start = 0; start < crmSize; start += block) {
        let at = 0;
        for (const contact of germanCrmContactStream(Math.min(block, crmSize - start), 4711 + start, start)) {
          if (at++ < sampled) sample.push(contact);
          yield contact;
        }
      }
    }
    // Generating the CRM is not indexing it: a pass that only generates it is timed first,
    // and its time taken out of the build's.
    const generatingStart = measureFrom();
    for (const _contact of crm());
    const generating = generatingStart();
    sample.length = 0;
    function* entries(): Iterable<IndexedContact> {
      for (const contact of crm()) yield indexEntry(contact, rules);
    }
    const buildStart = measureFrom();
    await index.rebuild(entries(), { rulesFingerprint: rulesFingerprint(rules) });
    const build = buildStart();
    const { contacts: incoming, copiedFrom } = incomingContacts(sample, incomingSize, 0.3);
    const classifyStart = measureFrom();
    const verdicts = await classifyContacts(incoming, rules, index);
    const classify = classifyStart();
    const label = `${size(incomingSize)} vs ${size(crmSize)}`;
    figure(`dedupe classify ${label}`, classify.seconds, 's');
    figure(`dedupe index build ${size(crmSize)}`, build.seconds - generating.seconds, 's');
    // CPU time moves less with other work on the machine than the time on the clock does.
    figure(`dedupe classify ${label} cpu`, classify.cpuSeconds, 's');
    figure(`dedupe index build ${size(crmSize)} cpu`, build.cpuSeconds - generating.cpuSeconds, 's');
    const count = (verdict: string) => verdicts.filter((found) => found.verdict === verdict).length;
    process.stderr.write(
      `scale ${label} (${inMemory ? 'memory' : 'SQLite'} index): ${count('sure')} sure, ${count('possible')} possible, ${count('none')} none; ${await index.size()} indexed\n`,
    );
    // A sure finding is right when it names the CRM contact the incoming one was copied from.
    const sure = { found: 0, right: 0 };
    verdicts.forEach((verdict, at) => {
      for (const finding of verdict.findings.filter((one) => one.verdict === 'sure')) {
        sure.found++;
        if (finding.crmId === copiedFrom[at]) sure.right++;
      }
    });
    return sure;
  } finally {
    await store?.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Starts a measurement; calling its result answers the seconds on the clock and of CPU (all threads) since. */
function measureFrom(): () => { seconds: number; cpuSeconds: number } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}

function size(count: number): string {
  return count >= 1_000_000 ? `${count / 1_000_000}M` : `${count / 1000}k`;
}
