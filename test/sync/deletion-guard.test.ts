import { expect } from 'chai';
import { checkDeletions } from '../../core/pipeline/guards/index.js';

describe('The deletion guard', () => {
  it('lets a run delete up to a tenth of the linked contacts', () => {
    expect(checkDeletions({ linked: 100, deletions: { crm: 0, groupware: 10 } }).stop).to.equal(false);
  });

  it('stops a run that would delete more than a tenth of one side, saying how many', () => {
    const verdict = checkDeletions({ linked: 100, deletions: { crm: 0, groupware: 11 } });
    expect(verdict.stop).to.equal(true);
    expect(verdict.reasons).to.deep.equal([
      '11 of 100 linked contacts (11 %) would go from the groupware, more than the 10 % allowed without confirmation',
    ]);
  });

  it('stops a run where one side suddenly looks empty, even when the share allowed is all', () => {
    const verdict = checkDeletions({ linked: 5, deletions: { crm: 5, groupware: 0 } }, 1);
    expect(verdict.stop).to.equal(true);
    expect(verdict.reasons[0]).to.match(/looks empty/);
  });

  it('follows the share it is configured with', () => {
    expect(checkDeletions({ linked: 100, deletions: { crm: 30, groupware: 0 } }, 0.5).stop).to.equal(false);
    expect(checkDeletions({ linked: 100, deletions: { crm: 30, groupware: 0 } }, 0.2).stop).to.equal(true);
  });

  it('has nothing to guard before anything is linked', () => {
    expect(checkDeletions({ linked: 0, deletions: { crm: 0, groupware: 0 } }).stop).to.equal(false);
  });
});
