import {
  classifyContacts,
  indexEntry,
  MemoryCandidateIndex,
  type NamedRule,
} from '../../core/pipeline/dedupe/index.js';
import {
  PossiblePersonRule,
  SureEmailRule,
  SureSurnameMobileRule,
} from '../../plugins/dedupe-rules/src/index.js';
import { figure } from '../support/report.js';
import { germanCrmContacts, incomingContacts } from './german-crm.js';

/** Contacts generated and indexed at a time, so the generator's own garbage never piles up. */
const batch = 20_000;

/**
 * The shipped rules over a generated German CRM: the index build, then 10,000 incoming
 * contacts (30 % of them CRM contacts typed in again) classified against it.
 */
export async function scaleFigures(crmSize: number, incomingSize: number): Promise<SureCount> {
  const rules: NamedRule[] = [
    { id: 'sure-email', rule: new SureEmailRule() },
    { id: 'sure-surname-mobile', rule: new SureSurnameMobileRule() },
    { id: 'possible-person', rule: new PossiblePersonRule() },
  ];
  const index = new MemoryCandidateIndex();
  const sample = [];
  const buildStart = performance.now();
  for (let start = 0; start < crmSize; start += batch) {
    const contacts = germanCrmContacts(Math.min(batch, crmSize - start), 4711 + start, start);
    await index.upsert(contacts.map((contact) => indexEntry(contact, rules)));
    sample.push(...contacts.slice(0, Math.ceil((incomingSize * batch) / crmSize)));
  }
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const { contacts: incoming, copiedFrom } = incomingContacts(sample, incomingSize, 0.3);
  const classifyStart = performance.now();
  const verdicts = await classifyContacts(incoming, rules, index);
  const classifySeconds = (performance.now() - classifyStart) / 1000;
  const label = `${size(incomingSize)} vs ${size(crmSize)}`;
  figure(`dedupe classify ${label}`, classifySeconds, 's');
  figure(`dedupe index build ${size(crmSize)}`, buildSeconds, 's');
  const count = (verdict: string) => verdicts.filter((found) => found.verdict === verdict).length;
  process.stderr.write(
    `scale ${label}: ${count('sure')} sure, ${count('possible')} possible, ${count('none')} none; ${await index.size()} indexed\n`,
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
}

export interface SureCount {
  found: number;
  right: number;
}

function size(count: number): string {
  return count >= 1_000_000 ? `${count / 1_000_000}M` : `${count / 1000}k`;
}
