import { previewUpload, startHostileHost } from '../test/hostile/support/classes.js';

// A 100 MB vCard file, generated as it is sent, previewed by a host in a child process; the
// host's peak RSS (VmHWM from /proc) shows that the upload streams instead of being buffered.
const megabytes = process.env.BENCH_QUICK ? 20 : 100;
// The same file as the file part of a form (multipart/form-data), as a browser sends it.
for (const as of ['raw', 'form'] as const) {
  const name = as === 'raw' ? `upload ${megabytes}MB` : `upload form ${megabytes}MB`;
  const { host, cleanUp } = await startHostileHost();
  try {
    // What the host holds before the upload, so the peak can be read as baseline plus upload.
    const idle = host.rssMiB();
    const result = await previewUpload(host, megabytes * 1024 * 1024, as);
    if (result.status !== 200)
      throw new Error(`preview answered ${result.status}: ${result.body.slice(0, 300)}`);
    const counted = /"contactCount":(\d+)/.exec(result.body)?.[1];
    console.log(`${name} host idle rss: ${idle.toFixed(0)} MiB`);
    console.log(`${name} peak rss: ${result.peakRssMiB.toFixed(0)} MiB`);
    console.log(`${name} time: ${result.seconds.toFixed(1)} s`);
    console.log(`${name} contacts: ${counted} contacts`);
    console.log(`${name} health p99: ${result.healthP99Ms.toFixed(0)} ms`);
  } finally {
    await host.stop('SIGTERM');
    cleanUp();
  }
}
