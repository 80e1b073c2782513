import { expect } from 'chai';
import { Kernel } from '../../core/index.js';
import {
  PluginSandbox,
  partlyBuildablePluginCode,
  resetTrace,
  trace,
  tracingPluginCode,
} from '../support/plugin-sandbox.js';

const rules = (...ids: string[]) => ({
  dedupeRules: ids.map((id) => ({ id, displayName: id, verdict: 'possible' })),
});

describe('Asking the kernel for every contribution of a point', () => {
  let sandbox: PluginSandbox;
  let kernel: Kernel;
  beforeEach(async () => {
    sandbox = new PluginSandbox();
    resetTrace();
    sandbox.plugin(
      'alpha',
      { contributes: rules('alpha-one', 'alpha-two') },
      tracingPluginCode('alpha', ['alpha-one', 'alpha-two']),
    );
    sandbox.plugin(
      'beta',
      { contributes: rules('beta-broken', 'beta-sound') },
      partlyBuildablePluginCode('beta', {
        'beta-broken': { throws: 'threshold must be between 0 and 1' },
        'beta-sound': { ok: true },
      }),
    );
    sandbox.plugin(
      'gamma',
      { contributes: rules('gamma-rule') },
      tracingPluginCode('gamma', ['gamma-rule'], "throw new Error('licence expired');"),
    );
    sandbox.plugin('delta', { contributes: rules('delta-rule'), engines: { crmsync: '>=9' } });
    sandbox.plugin(
      'resolvers',
      { contributes: { partnerResolvers: [{ id: 'by-domain', displayName: 'By domain' }] } },
      tracingPluginCode('resolvers'),
    );
    kernel = new Kernel({
      pluginDirectories: [sandbox.pluginsDir],
      configDir: sandbox.configDir,
      dataDir: sandbox.dataDir,
    });
    await kernel.start();
  });
  afterEach(async () => {
    await kernel.dispose();
    sandbox.dispose();
  });

  it('hands over every contribution that can serve, with its id, in the order the plugins were found', async () => {
    const all = await kernel.getAll('dedupeRules');
    expect(all.map((rule) => rule.id)).to.deep.equal(['alpha-one', 'alpha-two', 'beta-sound']);
    expect(all.map((rule) => (rule.value as unknown as { id: string }).id)).to.deep.equal([
      'alpha-one',
      'alpha-two',
      'beta-sound',
    ]);
  });

  it('skips a contribution that cannot be built and the contributions of failed plugins, and records why', async () => {
    await kernel.getAll('dedupeRules');
    const plugins = kernel.plugins();
    const beta = plugins.find((p) => p.id === 'beta')!;
    expect(beta.state).to.equal('active');
    expect(beta.contributions.map((c) => [c.id, c.state])).to.deep.equal([
      ['beta-broken', 'failed'],
      ['beta-sound', 'ready'],
    ]);
    expect(plugins.find((p) => p.id === 'gamma')!.error?.message).to.equal('licence expired');
    expect(plugins.find((p) => p.id === 'delta')!.error?.code).to.equal('CRMSYNC_ERR_ENGINE_MISMATCH');
  });

  it('loads nothing before it is asked, and then only the plugins that contribute to the point', async () => {
    expect(trace()).to.deep.equal([]);
    await kernel.getAll('dedupeRules');
    expect(trace()).to.include.members(['import:alpha', 'activate:alpha', 'import:gamma']);
    expect(trace()).not.to.include('import:resolvers');
    expect(kernel.plugins().find((p) => p.id === 'resolvers')!.state).to.equal('registered');
  });

  it('builds each contribution once, however often it is asked', async () => {
    await kernel.getAll('dedupeRules');
    await kernel.getAll('dedupeRules');
    expect(trace().filter((t) => t === 'build:beta-broken')).to.have.length(1);
    expect(trace().filter((t) => t === 'build:beta-sound')).to.have.length(1);
  });

  it('answers an empty list for a point nobody contributes to', async () => {
    expect(await kernel.getAll('exportOptions')).to.deep.equal([]);
  });
});
