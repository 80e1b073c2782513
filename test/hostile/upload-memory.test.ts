import { expect } from 'chai';
import { previewUpload, startHostileHost } from './support/classes.js';

// Node collects the chunks it read as garbage in bursts, once some 64 MiB of them are waiting
// (V8's limit for memory outside its heap), so the host's peak grows by about that much
// whatever the upload's size; on a busy machine, where the collector's own threads wait for a
// core, a burst has been seen to reach 165 MiB before it was collected. An upload well above
// that tells kept chunks (a peak that grows with the upload) from garbage not yet collected.
const uploadMiB = 320;

describe('A large upload previewed by a host in a child process', function () {
  this.timeout(120_000);

  for (const as of ['raw', 'form'] as const) {
    const sent = as === 'raw' ? 'as the raw body' : 'as the file part of a form';
    it(`keeps the host's memory flat while ${uploadMiB} MB arrive ${sent}: chunks read are not kept`, async () => {
      // Above the default limit of 200 MiB, which the host is told to take here.
      const { host, cleanUp } = await startHostileHost({ uploadBytes: (uploadMiB + 16) << 20 });
      try {
        const idle = host.rssMiB();
        const result = await previewUpload(host, uploadMiB << 20, as);
        expect(result.status, result.body.slice(0, 300)).to.equal(200);
        expect(result.body).to.contain('"complete":true');
        expect(result.body).to.contain('"fileName":"gross.vcf"');
        // Kept chunks would add the upload's own size; what a host needs to read it is far less.
        expect(result.peakRssMiB - idle, 'peak RSS above the idle host, MiB').to.be.below(
          (uploadMiB * 3) / 4,
        );
      } finally {
        await host.stop('SIGTERM');
        cleanUp();
      }
    });
  }
});
