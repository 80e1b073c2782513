import { expect } from 'chai';
import { photoHash } from '../../core/index.js';

describe('The photo hash', () => {
  it('is the hex SHA-256 of the bytes', () => {
    expect(photoHash(new Uint8Array())).to.equal(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(photoHash(new TextEncoder().encode('abc'))).to.equal(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('is the same for the same bytes, whether they come as a Buffer or as a view into a larger array', () => {
    const bytes = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const larger = new Uint8Array([9, 9, ...bytes, 9]);
    expect(photoHash(Buffer.from(bytes))).to.equal(photoHash(bytes));
    expect(photoHash(larger.subarray(2, 2 + bytes.length))).to.equal(photoHash(bytes));
  });

  it('changes when a single byte of the photo changes', () => {
    const before = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const after = Uint8Array.from(before);
    after[6] = 4;
    expect(photoHash(after)).not.to.equal(photoHash(before));
  });
});
