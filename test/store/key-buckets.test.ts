import { expect } from 'chai';
import fc from 'fast-check';
import { keyHash } from '../../core/store/key-hash.js';
import { BUCKET_COUNT, bucketOf } from '../../core/store/repositories/key-buckets.js';

describe('The buckets of the candidate index', () => {
  it('file every key hash where an index written before files it, the remainder by 2^20', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (hash) => {
        expect(bucketOf(hash)).to.equal(hash % BUCKET_COUNT);
      }),
      { seed: 4711, numRuns: 10_000 },
    );
    for (const key of ['email:anna.weber@firma.de', 'names:m450|t26', 'birthday:19710309'])
      expect(bucketOf(keyHash(key))).to.equal(keyHash(key) % BUCKET_COUNT);
  });
});
