import { createRuntime } from '../../../host/runtime.js';

/**
 * A crmsync process that commits one plan, for tests that kill it half-way: it says
 * `committing` when the first write is near and `committed` when done.
 * Usage: node commit-process.js <configDir> <planId>
 */
const [configDir, planId] = process.argv.slice(2);
const runtime = await createRuntime({ configDir: configDir!, logger: false });
process.stdout.write('committing\n');
// A plan an earlier process finished is done, not an error: the caller only wants it committed.
if ((await runtime.services.plans.get(planId!)).status !== 'committed') {
  await runtime.services.plans.commit(planId!, {
    onProgress: ({ done, total }) => process.stdout.write(`progress ${done}/${total}\n`),
  });
}
process.stdout.write('committed\n');
await runtime.dispose();
