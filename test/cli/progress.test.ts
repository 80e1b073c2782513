import { expect } from 'chai';
import { Output } from '../../host/cli/output.js';

/** A stand-in for standard error that records what was written and says whether it is a terminal. */
function stream(isTTY: boolean): NodeJS.WriteStream & { written: string } {
  const fake = {
    isTTY,
    written: '',
    write(text: string) {
      fake.written += text;
      return true;
    },
  };
  return fake as unknown as NodeJS.WriteStream & { written: string };
}

describe('progress of long work', () => {
  it('is a bar redrawn in place on a terminal, ending with a line break', () => {
    const stderr = stream(true);
    const out = new Output(false, stream(false), stderr);
    for (let done = 0; done <= 4; done++) out.progress('importing', done, 4);
    expect(stderr.written).to.contain('\rimporting [');
    expect(stderr.written).to.contain('] 4/4\n');
    expect(stderr.written.split('\n')).to.have.length(2);
  });

  it('is a few plain lines, the last one final, when standard error is no terminal', () => {
    const stderr = stream(false);
    const out = new Output(false, stream(false), stderr);
    for (let done = 0; done <= 1000; done++) out.progress('importing', done, 1000);
    const lines = stderr.written.trim().split('\n');
    expect(lines.length).to.be.lessThan(5);
    expect(lines.at(-1)).to.equal('importing: 1000 of 1000');
    expect(stderr.written).to.not.contain('\r');
  });

  it('keeps a bar whose total grows open until the work ends, as while a plan is built', () => {
    const stderr = stream(true);
    const out = new Output(false, stream(false), stderr);
    for (let read = 100; read <= 500; read += 100) out.progress('planning', read - 100, read, true);
    out.progress('planning', 500, 500, true);
    expect(stderr.written).to.not.contain('\n');
    out.endProgress();
    expect(stderr.written).to.match(/\] 500\/500\n$/);
  });

  it('ends growing progress without a terminal with its last figures, said once', () => {
    const stderr = stream(false);
    const out = new Output(false, stream(false), stderr);
    for (let read = 1; read <= 1000; read++) out.progress('planning', read - 1, read, true);
    out.progress('planning', 1000, 1000, true);
    out.endProgress();
    const lines = stderr.written.trim().split('\n');
    expect(lines.length).to.be.lessThan(5);
    expect(lines.at(-1)).to.equal('planning: 1000 of 1000');
    expect(lines.filter((line) => line === 'planning: 1000 of 1000')).to.have.length(1);
  });

  it('keeps lines for people off standard output when JSON is asked for', () => {
    const stdout = stream(false);
    const out = new Output(true, stdout, stream(false));
    out.line('Imported 3 of 3 contacts.');
    out.result({ imported: 3 });
    expect(JSON.parse(stdout.written)).to.deep.equal({ imported: 3 });
  });
});
