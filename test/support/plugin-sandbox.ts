import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths.js';

/**
 * A throw-away plugin directory for kernel tests. It lives under dist/ so that plugin code
 * written into it resolves `inversify` from the checkout's node_modules, as a real plugin
 * installed beside crmsync would.
 */
export class PluginSandbox {
  readonly root: string;
  readonly pluginsDir: string;
  readonly configDir: string;
  readonly dataDir: string;

  constructor() {
    const base = join(repoRoot, 'dist', 'test-sandboxes');
    mkdirSync(base, { recursive: true });
    this.root = mkdtempSync(join(base, 'kernel-'));
    this.pluginsDir = join(this.root, 'plugins');
    this.configDir = join(this.root, 'config');
    this.dataDir = join(this.root, 'data');
    mkdirSync(this.pluginsDir);
    mkdirSync(join(this.configDir, 'plugins'), { recursive: true });
  }

  /** Writes `<folder>/plugin.json` (a full manifest with sensible defaults) and its code. */
  plugin(folder: string, manifest: Record<string, unknown> | string, code?: string): string {
    const dir = join(this.pluginsDir, folder);
    mkdirSync(dir, { recursive: true });
    const text =
      typeof manifest === 'string'
        ? manifest
        : JSON.stringify(
            {
              id: folder,
              version: '1.0.0',
              displayName: folder,
              engines: { crmsync: '*' },
              main: 'index.js',
              ...manifest,
            },
            null,
            2,
          );
    writeFileSync(join(dir, 'plugin.json'), text);
    if (code !== undefined) writeFileSync(join(dir, 'index.js'), code);
    return dir;
  }

  pluginConfig(id: string, value: unknown): void {
    writeFileSync(
      join(this.configDir, 'plugins', `${id}.json`),
      typeof value === 'string' ? value : JSON.stringify(value),
    );
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * Plugin code that records into `globalThis.__crmsyncTrace` when it is imported, activated
 * and deactivated, and binds a dedupe rule for each id given, so tests can observe what the
 * kernel really did rather than assume it.
 */
export function tracingPluginCode(name: string, ruleIds: string[] = [], extra = ''): string {
  const binds = ruleIds
    .map(
      (id) =>
        `bind(Symbol.for('crmsync.DedupeRule')).toConstantValue({ id: ${JSON.stringify(id)}, plugin: ${JSON.stringify(name)}, evaluate() { return undefined; } }).whenNamed(${JSON.stringify(id)});`,
    )
    .join('\n  ');
  return `import { ContainerModule } from 'inversify';
const trace = (globalThis.__crmsyncTrace ??= []);
trace.push('import:${name}');
export const bindings = new ContainerModule(({ bind }) => {
  ${binds}
});
export async function activate(context) {
  trace.push('activate:${name}');
  context.subscriptions.push({ dispose() { trace.push('dispose:${name}'); } });
  ${extra}
}
export async function deactivate() { trace.push('deactivate:${name}'); }
`;
}

export function trace(): string[] {
  const g = globalThis as { __crmsyncTrace?: string[] };
  g.__crmsyncTrace ??= [];
  return g.__crmsyncTrace;
}

export function resetTrace(): void {
  (globalThis as { __crmsyncTrace?: string[] }).__crmsyncTrace = [];
}

/** How a rule of `partlyBuildablePluginCode` behaves when the kernel builds it. */
export type RuleBuild =
  | { ok: true }
  | { throws: string }
  | { throwsConfigError: string; file: string; pointer: string };

/**
 * Plugin code that binds one dedupe rule per entry, traces `build:<id>` each time the kernel
 * builds one, and lets chosen rules throw while being built: a plain error, or a crmsync
 * configuration error that names its own file and JSON pointer, as a connector with a bad
 * setting does. Its deactivate is traced too.
 */
export function partlyBuildablePluginCode(name: string, rules: Record<string, RuleBuild>): string {
  const core = pathToFileURL(join(repoRoot, 'dist', 'core', 'index.js')).href;
  const binds = Object.entries(rules).map(([id, build]) => {
    const fails =
      'throws' in build
        ? `throw new Error(${JSON.stringify(build.throws)});`
        : 'throwsConfigError' in build
          ? `throw new CrmsyncError('CRMSYNC_ERR_CONFIG_INVALID', ${JSON.stringify(build.throwsConfigError)}, ${JSON.stringify({ file: build.file, pointer: build.pointer })});`
          : '';
    return `bind(Symbol.for('crmsync.DedupeRule')).toDynamicValue(() => {
    trace.push('build:${id}');
    ${fails}
    return { id: ${JSON.stringify(id)}, plugin: ${JSON.stringify(name)}, blockingKeys: () => [], evaluate: () => undefined };
  }).inSingletonScope().whenNamed(${JSON.stringify(id)});`;
  });
  return `import { ContainerModule } from 'inversify';
import { CrmsyncError } from ${JSON.stringify(core)};
const trace = (globalThis.__crmsyncTrace ??= []);
export const bindings = new ContainerModule(({ bind }) => {
  ${binds.join('\n  ')}
});
export function deactivate() { trace.push('deactivate:${name}'); }
`;
}
