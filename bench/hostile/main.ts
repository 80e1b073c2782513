import { hostileClasses, startHostileHost } from '../../test/hostile/support/classes.js';

// Each class against a fresh host in a child process, at full size, so peak RSS is its own.
const size = process.env.BENCH_QUICK ? 'small' : 'full';
// `npm run bench -- hostile <class>` runs one class.
const only = process.argv[3];
if (only && !hostileClasses.some((hostile) => hostile.name === only)) {
  throw new Error(
    `no hostile class "${only}"; try ${hostileClasses.map((hostile) => hostile.name).join(', ')}`,
  );
}
for (const hostile of hostileClasses.filter((candidate) => !only || candidate.name === only)) {
  const { host, cleanUp } = await startHostileHost();
  try {
    // A class that breaks the connection is a finding too: say so and go on with the next one.
    const results = await hostile.run(host, size).catch((error: Error) => {
      console.log(`hostile ${hostile.name} failed: ${error.message}`);
      return undefined;
    });
    if (!results) continue;
    const seconds = Math.max(...results.map((r) => r.seconds));
    const p99 = Math.max(...results.map((r) => r.healthP99Ms));
    const rss = Math.max(...results.map((r) => r.peakRssMiB));
    const statuses = [...new Set(results.map((r) => r.status))].join('/');
    // A 200 preview that ran out of time or hit a limit says so at its end.
    const incomplete = results.filter((r) => r.body.includes('"complete":false')).length;
    console.log(`hostile ${hostile.name} time: ${seconds.toFixed(1)} s`);
    console.log(`hostile ${hostile.name} peak rss: ${rss.toFixed(0)} MiB`);
    console.log(`hostile ${hostile.name} health p99: ${p99.toFixed(0)} ms`);
    console.log(`hostile ${hostile.name} status: ${statuses} status`);
    console.log(`hostile ${hostile.name} incomplete: ${incomplete} answers`);
  } finally {
    await host.stop('SIGTERM');
    cleanUp();
  }
}
