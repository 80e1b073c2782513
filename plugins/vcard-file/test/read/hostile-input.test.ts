import { expect } from 'chai';
import type { Contact, Fetched, RecordProblem } from '../../../../core/index.js';
import { readVCardsSync } from '../../src/read/index.js';
import { doublingRatio, linearBound } from './doubling.js';
import { hostileShapes } from './hostile-shapes.js';

function contacts(results: Fetched<Contact>[]): Contact[] {
  return results.flatMap((result) => (result.ok ? [result.value] : []));
}

function problems(results: Fetched<Contact>[]): RecordProblem[] {
  return results.flatMap((result) => (result.ok ? [] : [result.problem]));
}

const lines = (...text: string[]) => `${text.join('\r\n')}\r\n`;

describe('vCard reader under hostile input', function () {
  // Generous: a hang fails through mocha's timeout rather than blocking the run.
  this.timeout(120_000);

  describe('nested and unfinished cards', () => {
    it('reads 16,384 BEGIN:VCARD lines as empty cards, each cut short by the next, and imports nothing', () => {
      const input = hostileShapes['BEGIN:VCARD lines and nothing else']?.(16_384) as Uint8Array;
      expect(input.length).to.equal(196_608);
      const results = readVCardsSync(input, { file: 'begins.vcf' });
      expect(contacts(results)).to.deep.equal([]);
      const found = problems(results);
      expect(found).to.have.length(16_384);
      expect(new Set(found.map((problem) => problem.code))).to.deep.equal(
        new Set(['CRMSYNC_ERR_VCARD_TRUNCATED']),
      );
      const second = found.find((problem) => problem.location.card === 2);
      expect(second?.location).to.deep.equal({ file: 'begins.vcf', card: 2, line: 2 });
      expect(second?.message).to.equal(
        'card 2 (from line 2) has no END:VCARD; it ends where card 3 begins at line 3; nothing is in it, so it is not imported',
      );
      // Only the last card ends with the file.
      expect(found.filter((problem) => problem.message.includes('the file ends'))).to.have.length(1);
      expect(found[found.length - 1]?.location.card).to.equal(16_384);
    });

    it('imports every complete card of 6,000 BEGIN:VCARD / N: pairs without END:VCARD and says where each ends', () => {
      const input = hostileShapes['BEGIN:VCARD and N: pairs without END:VCARD']?.(6000) as Uint8Array;
      const results = readVCardsSync(input, { file: 'pairs.vcf' });
      // The last card ends with the file, so its one line may be cut and is dropped.
      const names = contacts(results).map((contact) => contact.surname);
      expect(names).to.have.length(5999);
      expect(new Set(names)).to.deep.equal(
        new Set(Array.from({ length: 5999 }, (_, i) => `Nachname${i + 1}`)),
      );
      const found = problems(results);
      expect(found).to.have.length(6000);
      expect(found.every((problem) => problem.code === 'CRMSYNC_ERR_VCARD_TRUNCATED')).to.equal(true);
      expect(found.find((problem) => problem.location.card === 1)?.message).to.equal(
        'card 1 (from line 1) has no END:VCARD; it ends where card 2 begins at line 3; its lines up to there are imported',
      );
      expect(found.find((problem) => problem.location.card === 4000)?.message).to.equal(
        'card 4000 (from line 7999) has no END:VCARD; it ends where card 4001 begins at line 8001; its lines up to there are imported',
      );
      const last = found.find((problem) => problem.location.card === 6000);
      expect(last?.location).to.deep.equal({ file: 'pairs.vcf', card: 6000, line: 11_999, field: 'N' });
      expect(last?.message).to.include('the file ends at line 12000');
    });

    it('imports a card cut short by the next BEGIN:VCARD with its complete lines, saying where it ends and not that the file ends', () => {
      const text = lines(
        'BEGIN:VCARD',
        'VERSION:3.0',
        'FN:Anna Alt',
        'END:VCARD',
        'BEGIN:VCARD',
        'VERSION:3.0',
        'FN:Bernd Brandt',
        'TEL;TYPE=WORK:030 1234567',
        'BEGIN:VCARD',
        'VERSION:3.0',
        'FN:Clara Conrad',
        'END:VCARD',
      );
      const results = readVCardsSync(text, { file: 'drei.vcf' });
      const byName = new Map(contacts(results).map((contact) => [contact.displayName, contact]));
      expect([...byName.keys()].sort()).to.deep.equal(['Anna Alt', 'Bernd Brandt', 'Clara Conrad']);
      // Its last line is complete, as the next card's BEGIN line shows, so it is kept.
      expect(byName.get('Bernd Brandt')?.phones.map((phone) => phone.number)).to.deep.equal(['030 1234567']);
      expect(problems(results)).to.deep.equal([
        {
          code: 'CRMSYNC_ERR_VCARD_TRUNCATED',
          message:
            'card 2 (from line 5) has no END:VCARD; it ends where card 3 begins at line 9; its lines up to there are imported',
          location: { file: 'drei.vcf', card: 2, line: 5 },
        },
      ]);
    });

    it('reads a card embedded by a vCard 2.1 AGENT as a card of its own and keeps the card around it whole', () => {
      const text = lines(
        'BEGIN:VCARD',
        'VERSION:2.1',
        'N:Chefin;Carla',
        'AGENT:',
        'BEGIN:VCARD',
        'VERSION:2.1',
        'N:Assistent;Anton',
        'TEL;WORK:030 2',
        'END:VCARD',
        'TEL;WORK:030 1',
        'END:VCARD',
      );
      const results = readVCardsSync(text);
      expect(problems(results)).to.deep.equal([]);
      expect(contacts(results).map((contact) => [contact.surname, contact.phones[0]?.number])).to.deep.equal([
        ['Assistent', '030 2'],
        ['Chefin', '030 1'],
      ]);
    });

    it('ends an embedded card without END:VCARD where the next card begins inside it, and keeps the card around it', () => {
      const text = lines(
        'BEGIN:VCARD',
        'N:Eltern',
        'BEGIN:VCARD',
        'N:Kind1',
        'BEGIN:VCARD',
        'N:Kind2',
        'END:VCARD',
        'TEL:1',
        'END:VCARD',
      );
      const results = readVCardsSync(text, { file: 'n.vcf' });
      expect(contacts(results).map((contact) => [contact.surname, contact.phones.length])).to.deep.equal([
        ['Kind1', 0],
        ['Kind2', 0],
        ['Eltern', 1],
      ]);
      expect(problems(results)).to.deep.equal([
        {
          code: 'CRMSYNC_ERR_VCARD_TRUNCATED',
          message:
            'card 2 (from line 3) has no END:VCARD; it ends where card 3 begins at line 5; its lines up to there are imported',
          location: { file: 'n.vcf', card: 2, line: 3 },
        },
      ]);
    });

    it('reports cards nested more than one level deep once, with file, card and line, and reads every card', () => {
      const text = `${'BEGIN:VCARD\nFN:tief\n'.repeat(5)}${'END:VCARD\n'.repeat(5)}BEGIN:VCARD\nFN:danach\nEND:VCARD\n`;
      const results = readVCardsSync(text, { file: 'tief.vcf' });
      expect(contacts(results).map((contact) => contact.displayName)).to.deep.equal([
        'tief',
        'tief',
        'tief',
        'tief',
        'tief',
        'danach',
      ]);
      const nested = problems(results).filter((problem) => problem.code === 'CRMSYNC_ERR_VCARD_NESTED');
      expect(nested).to.have.length(1);
      expect(nested[0]?.location).to.deep.equal({ file: 'tief.vcf', card: 3, line: 5 });
      expect(nested[0]?.message).to.include(
        'card 3 (line 5) begins inside card 2 (line 3), which is itself embedded in card 1 (line 1)',
      );
      expect(nested[0]?.message).to.include('END:VCARD lines from line 13 on that close no card are ignored');
      // The cards read as cut short say so too, and nothing else is reported.
      expect(problems(results).map((problem) => problem.code)).to.deep.equal([
        'CRMSYNC_ERR_VCARD_TRUNCATED',
        'CRMSYNC_ERR_VCARD_TRUNCATED',
        'CRMSYNC_ERR_VCARD_TRUNCATED',
        'CRMSYNC_ERR_VCARD_NESTED',
      ]);
    });

    it('reports the lines of a card nested too deep that are left after its inner cards, as well as the nesting', () => {
      const text = lines(
        'BEGIN:VCARD',
        'N:Chefin',
        'AGENT:',
        'BEGIN:VCARD',
        'N:Assistent',
        'AGENT:',
        'BEGIN:VCARD',
        'N:Praktikant',
        'END:VCARD',
        'END:VCARD',
        'TEL:1',
        'END:VCARD',
      );
      const results = readVCardsSync(text, { file: 'agent.vcf' });
      expect(contacts(results).map((contact) => contact.surname)).to.deep.equal([
        'Assistent',
        'Praktikant',
        'Chefin',
      ]);
      expect(problems(results).map((problem) => [problem.code, problem.location])).to.deep.equal([
        ['CRMSYNC_ERR_VCARD_TRUNCATED', { file: 'agent.vcf', card: 2, line: 4 }],
        ['CRMSYNC_ERR_VCARD_NESTED', { file: 'agent.vcf', card: 3, line: 7 }],
        ['CRMSYNC_ERR_VCARD_OUTSIDE_CARD', { file: 'agent.vcf', line: 11 }],
      ]);
    });

    it('imports every card after a card that lacks its END:VCARD, however much of the file follows it', () => {
      const after = Array.from({ length: 500 }, (_, i) =>
        lines('BEGIN:VCARD', `FN:Karte ${i + 1}`, 'END:VCARD'),
      ).join('');
      const text = `${lines('BEGIN:VCARD', 'FN:Ohne Ende', 'TEL:1')}${after}`;
      // Far more follows the unfinished card than the card limit allows one card to hold.
      expect(text.length).to.be.greaterThan(8 * 1024);
      const results = readVCardsSync(text, { file: 'lang.vcf', maxCardBytes: 1024 });
      const names = contacts(results).map((contact) => contact.displayName);
      expect(names).to.have.length(501);
      expect(names.slice(0, 2)).to.deep.equal(['Karte 1', 'Karte 2']);
      expect(names[500]).to.equal('Ohne Ende');
      expect(problems(results)).to.deep.equal([
        {
          code: 'CRMSYNC_ERR_VCARD_TRUNCATED',
          message:
            'card 1 (from line 1) has no END:VCARD; it ends where card 2 begins at line 4; its lines up to there are imported',
          location: { file: 'lang.vcf', card: 1, line: 1 },
        },
      ]);
    });
  });

  describe('time linear in the size of the input', () => {
    // Sizes at which the smaller input takes some tens of milliseconds, so that timer
    // resolution and scheduling do not decide the ratio; chunk sizes where streaming matters.
    const sizes: Record<string, { n: number; chunkSize?: number }> = {
      'BEGIN:VCARD lines and nothing else': { n: 6000 },
      'BEGIN:VCARD and N: pairs without END:VCARD': { n: 3000 },
      'cards nested inside each other': { n: 3000 },
      'a line without colon folded many times': { n: 80_000 },
      'a line folded many times': { n: 80_000 },
      'a QUOTED-PRINTABLE value with many soft line breaks': { n: 80_000 },
      'many lines continued by a trailing backslash': { n: 50_000 },
      'many unindented base64 lines': { n: 60_000 },
      'a line with many parameters': { n: 30_000 },
      'an unknown vCard 2.1 property with many bare parameters': { n: 10_000 },
      'a parameter with many quoted values': { n: 50_000 },
      'a very long line without colon in a card': { n: 100_000, chunkSize: 512 },
      'a very long line without colon outside any card': { n: 200_000, chunkSize: 512 },
      'a value of many backslash escapes': { n: 20_000 },
      'many distinct categories': { n: 15_000 },
      'a huge number of tiny cards': { n: 2000 },
    };

    it('has a size for every generated shape', () => {
      expect(Object.keys(sizes).sort()).to.deep.equal(Object.keys(hostileShapes).sort());
    });

    for (const [shape, { n, chunkSize }] of Object.entries(sizes)) {
      it(`reads ${shape} in time linear in its size`, async () => {
        const make = hostileShapes[shape] as (n: number) => Uint8Array;
        const measured = await doublingRatio(make, n, { tries: 3, ...(chunkSize ? { chunkSize } : {}) });
        expect(
          measured.perDoubling,
          `${measured.small.toFixed(1)} ms for n = ${n}, ${measured.large.toFixed(1)} ms for 4n`,
        ).to.be.at.most(linearBound);
      });
    }
  });
});
