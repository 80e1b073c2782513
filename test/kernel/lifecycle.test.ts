import { expect } from 'chai';
import { Kernel } from '../../core/index.js';
import { PluginSandbox, resetTrace, trace, tracingPluginCode } from '../support/plugin-sandbox.js';

const rule = (id: string) => ({ dedupeRules: [{ id, displayName: id, verdict: 'possible' }] });

describe('The plugin lifecycle', () => {
  let sandbox: PluginSandbox;
  let kernel: Kernel;
  beforeEach(() => {
    sandbox = new PluginSandbox();
    resetTrace();
  });
  afterEach(async () => {
    await kernel?.dispose();
    sandbox.dispose();
  });

  async function startKernel(
    limits: { activationTimeoutMs?: number; deactivationTimeoutMs?: number } = {},
  ): Promise<Kernel> {
    kernel = new Kernel({
      pluginDirectories: [sandbox.pluginsDir],
      configDir: sandbox.configDir,
      dataDir: sandbox.dataDir,
      ...limits,
    });
    await kernel.start();
    return kernel;
  }
  const state = (id: string) => kernel.plugins().find((p) => p.id === id)?.state;

  it('does not import a plugin before its activation event, and imports it on the first request for its contribution', async () => {
    sandbox.plugin(
      'lazy',
      { activationEvents: ['onDedupeRule:lazy-rule'], contributes: rule('lazy-rule') },
      tracingPluginCode('lazy', ['lazy-rule']),
    );
    await startKernel();
    expect(trace()).to.deep.equal([]);
    expect(state('lazy')).to.equal('registered');

    const found = await (kernel.get as (p: string, i: string) => Promise<{ id: string }>)(
      'dedupeRules',
      'lazy-rule',
    );
    expect(found.id).to.equal('lazy-rule');
    expect(trace()).to.deep.equal(['import:lazy', 'activate:lazy']);
    expect(state('lazy')).to.equal('active');

    await kernel.get('dedupeRules', 'lazy-rule');
    expect(trace().filter((t) => t === 'import:lazy')).to.have.length(1);
  });

  it("activates a contribution's plugin on demand even when the manifest lists no activation event", async () => {
    sandbox.plugin('quiet', { contributes: rule('quiet-rule') }, tracingPluginCode('quiet', ['quiet-rule']));
    await startKernel();
    expect(trace()).to.deep.equal([]);
    await kernel.get('dedupeRules', 'quiet-rule');
    expect(trace()).to.include('activate:quiet');
  });

  it('activates onStartup plugins while the kernel starts', async () => {
    sandbox.plugin('eager', { activationEvents: ['onStartup'] }, tracingPluginCode('eager'));
    await startKernel();
    expect(trace()).to.deep.equal(['import:eager', 'activate:eager']);
    expect(state('eager')).to.equal('active');
  });

  it('activates dependencies first and deactivates in reverse order at shutdown', async () => {
    sandbox.plugin(
      'app',
      { dependsOn: ['middle'], contributes: rule('app-rule') },
      tracingPluginCode('app', ['app-rule']),
    );
    sandbox.plugin('middle', { dependsOn: ['base'] }, tracingPluginCode('middle'));
    sandbox.plugin('base', {}, tracingPluginCode('base'));
    await startKernel();
    await kernel.get('dedupeRules', 'app-rule');
    expect(trace().filter((t) => t.startsWith('activate:'))).to.deep.equal([
      'activate:base',
      'activate:middle',
      'activate:app',
    ]);

    await kernel.dispose();
    expect(trace().filter((t) => t.startsWith('deactivate:') || t.startsWith('dispose:'))).to.deep.equal([
      'deactivate:app',
      'dispose:app',
      'deactivate:middle',
      'dispose:middle',
      'deactivate:base',
      'dispose:base',
    ]);
    expect(kernel.plugins().map((p) => p.state)).to.deep.equal(['inactive', 'inactive', 'inactive']);
  });

  it('fails every plugin in a dependency cycle, naming the chain', async () => {
    sandbox.plugin('a', { dependsOn: ['b'] }, tracingPluginCode('a'));
    sandbox.plugin('b', { dependsOn: ['c'] }, tracingPluginCode('b'));
    sandbox.plugin('c', { dependsOn: ['a'] }, tracingPluginCode('c'));
    sandbox.plugin('free', {}, tracingPluginCode('free'));
    await startKernel();
    for (const id of ['a', 'b', 'c']) {
      const info = kernel.plugins().find((p) => p.id === id)!;
      expect(info.state).to.equal('failed');
      expect(info.error?.code).to.equal('CRMSYNC_ERR_DEPENDENCY_CYCLE');
      expect(info.error?.message).to.equal('dependency cycle a → b → c → a');
      expect(info.error?.location.pointer).to.equal('/dependsOn');
    }
    expect(state('free')).to.equal('registered');
  });

  it('fails a plugin whose dependency is missing, and the plugins that depend on it, naming the path', async () => {
    sandbox.plugin('top', { dependsOn: ['needy'] }, tracingPluginCode('top'));
    sandbox.plugin('needy', { dependsOn: ['ghost'] }, tracingPluginCode('needy'));
    await startKernel();
    const needy = kernel.plugins().find((p) => p.id === 'needy')!;
    expect(needy.error?.code).to.equal('CRMSYNC_ERR_DEPENDENCY_MISSING');
    expect(needy.error?.message).to.contain('"ghost", which is not installed (needy → ghost)');
    const top = kernel.plugins().find((p) => p.id === 'top')!;
    expect(top.error?.code).to.equal('CRMSYNC_ERR_DEPENDENCY_FAILED');
    expect(top.error?.message).to.contain('"needy"');
  });

  it('fails a plugin whose dependency has a broken manifest, saying why', async () => {
    sandbox.plugin('user', { dependsOn: ['broken'] }, tracingPluginCode('user'));
    sandbox.plugin('broken', { engines: { crmsync: '>=5' } });
    await startKernel();
    const user = kernel.plugins().find((p) => p.id === 'user')!;
    expect(user.error?.code).to.equal('CRMSYNC_ERR_DEPENDENCY_FAILED');
    expect(user.error?.message).to.match(/"broken", which failed: needs crmsync >=5/);
  });

  it('marks a plugin failed when its code throws while loading, and names it when its contribution is asked for', async () => {
    sandbox.plugin(
      'crashy',
      { contributes: rule('crashy-rule') },
      "throw new Error('database driver missing');",
    );
    await startKernel();
    const error = await kernel.get('dedupeRules', 'crashy-rule').then(
      () => undefined,
      (e: Error & { code: string }) => e,
    );
    expect(error?.code).to.equal('CRMSYNC_ERR_PLUGIN_FAILED');
    expect(error?.message).to.match(
      /plugin "crashy" failed: its code could not be loaded .*database driver missing/,
    );
    expect(state('crashy')).to.equal('failed');
  });

  it('marks a plugin failed when activate throws, disposes what it registered, and keeps the others working', async () => {
    sandbox.plugin(
      'fragile',
      { contributes: rule('fragile-rule') },
      tracingPluginCode('fragile', ['fragile-rule'], "throw new Error('no licence key');"),
    );
    sandbox.plugin(
      'sturdy',
      { contributes: rule('sturdy-rule') },
      tracingPluginCode('sturdy', ['sturdy-rule']),
    );
    await startKernel();
    const error = await kernel.get('dedupeRules', 'fragile-rule').catch((e: Error) => e);
    expect((error as Error).message).to.match(/plugin "fragile" failed: no licence key/);
    expect(trace()).to.include('dispose:fragile');
    expect(
      await (kernel.get as (p: string, i: string) => Promise<{ id: string }>)('dedupeRules', 'sturdy-rule'),
    ).to.have.property('id', 'sturdy-rule');
  });

  it('marks a plugin failed when it declares a contribution its code does not bind', async () => {
    sandbox.plugin('promiser', { contributes: rule('promised-rule') }, tracingPluginCode('promiser', []));
    await startKernel();
    const error = (await kernel.get('dedupeRules', 'promised-rule').catch((e: Error) => e)) as Error;
    expect(error.message).to.match(/declares dedupeRules "promised-rule" but its code does not bind it/);
    expect(kernel.plugins()[0]!.error?.code).to.equal('CRMSYNC_ERR_CONTRIBUTION_UNBOUND');
  });

  it('gives up on a plugin whose activate never finishes, and starts the others', async () => {
    sandbox.plugin(
      'stuck',
      { activationEvents: ['onStartup'] },
      'export function activate() { return new Promise(() => {}); }',
    );
    sandbox.plugin('fine', { activationEvents: ['onStartup'] }, tracingPluginCode('fine'));
    await startKernel({ activationTimeoutMs: 200 });
    const stuck = kernel.plugins().find((p) => p.id === 'stuck')!;
    expect(stuck.state).to.equal('failed');
    expect(stuck.error?.code).to.equal('CRMSYNC_ERR_PLUGIN_ACTIVATE_TIMEOUT');
    expect(stuck.error?.message).to.equal('did not finish loading and activating within 200 ms');
    expect(state('fine')).to.equal('active');
  });

  it("goes on deactivating the other plugins when one plugin's deactivate hangs", async () => {
    sandbox.plugin('early', { activationEvents: ['onStartup'] }, tracingPluginCode('early'));
    sandbox.plugin(
      'late',
      { activationEvents: ['onStartup'], dependsOn: ['early'] },
      "export function deactivate() { (globalThis.__crmsyncTrace ??= []).push('deactivate:late'); return new Promise(() => {}); }",
    );
    await startKernel({ deactivationTimeoutMs: 200 });
    await kernel.dispose();
    expect(trace().filter((t) => t.startsWith('deactivate:'))).to.deep.equal([
      'deactivate:late',
      'deactivate:early',
    ]);
    expect(kernel.plugins().map((p) => p.state)).to.deep.equal(['inactive', 'inactive']);
  });

  it('gives the kernel only what a manifest declares, even when the plugin binds more', async () => {
    sandbox.plugin(
      'chatty',
      { contributes: rule('declared-rule') },
      tracingPluginCode('chatty', ['declared-rule', 'hidden-rule']),
    );
    await startKernel();
    await kernel.get('dedupeRules', 'declared-rule');
    const error = (await kernel.get('dedupeRules', 'hidden-rule').catch((e: Error) => e)) as Error & {
      code: string;
    };
    expect(error.code).to.equal('CRMSYNC_ERR_CONTRIBUTION_UNKNOWN');
  });

  it('lets plugin code resolve kernel services from its child container and read its configuration with defaults', async () => {
    sandbox.plugin(
      'configured',
      {
        activationEvents: ['onStartup'],
        contributes: {
          configuration: {
            type: 'object',
            properties: {
              greeting: { type: 'string', default: 'Guten Tag' },
              retries: { type: 'integer', default: 3 },
            },
          },
        },
      },
      `export async function activate(context) { (globalThis.__crmsyncTrace ??= []).push('config:' + context.config.greeting + '/' + context.config.retries); }`,
    );
    sandbox.pluginConfig('configured', { retries: 5 });
    await startKernel();
    expect(trace()).to.deep.equal(['config:Guten Tag/5']);
  });

  it('marks a plugin failed when its configuration file is invalid, naming the file and the JSON pointer', async () => {
    sandbox.plugin('strict', {
      contributes: { configuration: { type: 'object', properties: { retries: { type: 'integer' } } } },
    });
    sandbox.pluginConfig('strict', { retries: 'many' });
    await startKernel();
    const info = kernel.plugins()[0]!;
    expect(info.state).to.equal('failed');
    expect(info.error?.code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
    expect(info.error?.location.file).to.match(/config\/plugins\/strict\.json$/);
    expect(info.error?.location.pointer).to.equal('/retries');
  });
});
