import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { type SessionOptions, withRuntime } from '../session.js';

/** `crmsync plugins`: each installed plugin, its state, what it contributes and why it failed. */
export async function runPlugins(options: SessionOptions, out: Output): Promise<number> {
  return withRuntime(options, async (runtime) => {
    const { plugins } = runtime.services;
    const health = plugins.health();
    const contributions = plugins.contributions();
    for (const plugin of plugins.list()) {
      out.line(`${plugin.id} ${plugin.version ?? ''} — ${plugin.state}`);
      for (const contribution of contributions.filter((c) => c.pluginId === plugin.id))
        out.line(`  ${contribution.point}: ${contribution.id}`);
      if (plugin.error) out.line(`  ! ${plugin.error.message}`);
    }
    for (const plugin of health.plugins)
      for (const failed of plugin.failedContributions ?? [])
        out.line(`  ! ${plugin.id} ${failed.point} ${failed.id}: ${failed.error} (${failed.where})`);
    for (const problem of runtime.startupProblems) out.line(`! ${problem}`);
    out.result({
      ready: health.ready,
      plugins: health.plugins,
      contributions,
      startupProblems: runtime.startupProblems,
    });
    return health.ready ? ExitCode.success : ExitCode.configuration;
  });
}
