import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Plugin code whose dedupe rule `ruleId` throws `reason` when the kernel builds it, and whose
 * deactivate is traced, as a connector with a broken configuration behaves.
 */
export function unbuildablePluginCode(name: string, ruleId: string, reason: string): string {
  return `import { ContainerModule } from 'inversify';
export const bindings = new ContainerModule(({ bind }) => {
  bind(Symbol.for('crmsync.DedupeRule')).toDynamicValue(() => { throw new Error(${JSON.stringify(reason)}); }).whenNamed(${JSON.stringify(ruleId)});
});
export function deactivate() { (globalThis.__crmsyncTrace ??= []).push('deactivate:${name}'); }`;
}
