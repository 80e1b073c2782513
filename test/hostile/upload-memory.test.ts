import { expect } from 'chai';
import { previewUpload, startHostileHost } from './support/classes.js';

const uploadMiB = 48;

describe('A large upload previewed by a host in a child process', function () {
  this.timeout(120_000);

  it(`keeps the host's memory flat while ${uploadMiB} MB arrive: chunks read are not kept`, async () => {
    const { host, cleanUp } = await startHostileHost();
    try {
      const idle = host.rssMiB();
      const result = await previewUpload(host, uploadMiB << 20);
      expect(result.status, result.body.slice(0, 300)).to.equal(200);
      expect(result.body).to.contain('"complete":true');
      // Kept chunks would add the upload's own size; what a host needs to read it is far less.
      expect(result.peakRssMiB - idle, 'peak RSS above the idle host, MiB').to.be.below(uploadMiB / 2);
    } finally {
      await host.stop('SIGTERM');
      cleanUp();
    }
  });
});
