import { previewUpload, startHostileHost } from '../test/hostile/support/classes.js';

// A 100 MB vCard file, generated as it is sent, previewed by a host in a child process; the
// host's peak RSS (VmHWM from /proc) shows that the upload streams instead of being buffered.
const megabytes = process.env.BENCH_QUICK ? 20 : 100;
const { host, cleanUp } = await startHostileHost();
try {
  // What the host holds before the upload, so the peak can be read as baseline plus upload.
  const idle = host.rssMiB();
  const result = await previewUpload(host, megabytes * 1024 * 1024);
  if (result.status !== 200)
    throw new Error(`preview answered ${result.status}: ${result.body.slice(0, 300)}`);
  const counted = /"contactCount":(\d+)/.exec(result.body)?.[1];
  console.log(`upload ${megabytes}MB host idle rss: ${idle.toFixed(0)} MiB`);
  console.log(`upload ${megabytes}MB peak rss: ${result.peakRssMiB.toFixed(0)} MiB`);
  console.log(`upload ${megabytes}MB time: ${result.seconds.toFixed(1)} s`);
  console.log(`upload ${megabytes}MB contacts: ${counted} contacts`);
  console.log(`upload ${megabytes}MB health p99: ${result.healthP99Ms.toFixed(0)} ms`);
} finally {
  await host.stop('SIGTERM');
  cleanUp();
}
