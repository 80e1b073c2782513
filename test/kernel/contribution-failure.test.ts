import { expect } from 'chai';
import { type CrmsyncError, Kernel, type PluginInfo } from '../../core/index.js';
import { fixture } from '../support/paths.js';
import { PluginSandbox, partlyBuildablePluginCode, resetTrace, trace } from '../support/plugin-sandbox.js';

const rules = (...ids: string[]) => ({
  dedupeRules: ids.map((id) => ({ id, displayName: id, verdict: 'possible' })),
});

async function rejection(promise: Promise<unknown>): Promise<CrmsyncError> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: CrmsyncError) => error,
  );
}

describe('A contribution that cannot be built', () => {
  let sandbox: PluginSandbox;
  let kernel: Kernel | undefined;
  beforeEach(() => {
    sandbox = new PluginSandbox();
    resetTrace();
  });
  afterEach(async () => {
    await kernel?.dispose();
    kernel = undefined;
    sandbox.dispose();
  });

  async function startKernel(pluginDirectories = [sandbox.pluginsDir]): Promise<Kernel> {
    kernel = new Kernel({ pluginDirectories, configDir: sandbox.configDir, dataDir: sandbox.dataDir });
    await kernel.start();
    return kernel;
  }
  const info = (id: string): PluginInfo => kernel!.plugins().find((p) => p.id === id)!;

  it("retires only itself: the plugin's other contribution keeps serving", async () => {
    await startKernel([fixture('failing-plugins')]);
    const error = await rejection(kernel!.get('partnerResolvers', 'phone-prefix-resolver'));
    expect(error.code).to.equal('CRMSYNC_ERR_CONTRIBUTION_FAILED');
    expect(error.message).to.contain(
      'partnerResolvers "phone-prefix-resolver" of plugin "half-built" cannot be built: prefixFile "prefixes.csv" cannot be read',
    );

    const resolver = await kernel!.get('partnerResolvers', 'vat-id-resolver');
    expect(await resolver.resolve({} as never, {} as never)).to.deep.equal([]);
    expect(info('half-built').state).to.equal('active');
    expect(info('half-built').error).to.equal(undefined);
  });

  it('is shown in the plugin list with its code, message, file and JSON pointer', async () => {
    await startKernel([fixture('failing-plugins')]);
    expect(info('half-built').contributions.map((c) => c.state)).to.deep.equal(['declared', 'declared']);
    await kernel!.get('partnerResolvers', 'vat-id-resolver');
    await kernel!.get('partnerResolvers', 'phone-prefix-resolver').catch(() => undefined);

    const [vat, phone] = info('half-built').contributions;
    expect(vat).to.deep.equal({
      point: 'partnerResolvers',
      id: 'vat-id-resolver',
      displayName: 'Business partner by VAT id',
      state: 'ready',
    });
    expect(phone).to.deep.equal({
      point: 'partnerResolvers',
      id: 'phone-prefix-resolver',
      displayName: 'Business partner by phone prefix',
      state: 'failed',
      error: {
        code: 'CRMSYNC_ERR_CONTRIBUTION_CREATE',
        message: 'prefixFile "prefixes.csv" cannot be read',
        location: {
          file: fixture('failing-plugins', 'half-built', 'plugin.json'),
          pointer: '/contributes/partnerResolvers/1',
        },
      },
    });
  });

  it('fails at once on every later request, naming why, without building it again', async () => {
    await startKernel([fixture('failing-plugins')]);
    const first = await rejection(kernel!.get('partnerResolvers', 'phone-prefix-resolver'));
    const later = await rejection(kernel!.get('partnerResolvers', 'phone-prefix-resolver'));
    expect(later.code).to.equal('CRMSYNC_ERR_CONTRIBUTION_FAILED');
    expect(later.message).to.equal(first.message);
    expect(later.location.pointer).to.equal('/contributes/partnerResolvers/1');
    expect(trace().filter((t) => t === 'build:phone-prefix-resolver')).to.have.length(1);
  });

  it('keeps the file and JSON pointer of a configuration error raised while it is built', async () => {
    const configFile = `${sandbox.configDir}/plugins/folder-rules.json`;
    sandbox.plugin(
      'folder-rules',
      { contributes: rules('by-folder', 'by-name') },
      partlyBuildablePluginCode('folder-rules', {
        'by-folder': {
          throwsConfigError: 'folder "X:\\\\missing" does not exist',
          file: configFile,
          pointer: '/folder',
        },
        'by-name': { ok: true },
      }),
    );
    await startKernel();
    const error = await rejection(kernel!.get('dedupeRules', 'by-folder'));
    expect(error.location).to.deep.equal({ file: configFile, pointer: '/folder' });
    const failure = info('folder-rules').contributions[0]!.error!;
    expect(failure.code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
    expect(failure.location).to.deep.equal({ file: configFile, pointer: '/folder' });
    expect(await kernel!.get('dedupeRules', 'by-name')).to.have.property('id', 'by-name');
  });

  it('is recorded once when two requests build it at the same time, and its plugin still deactivates once', async () => {
    sandbox.plugin(
      'picky',
      { contributes: rules('picky-rule', 'easy-rule') },
      partlyBuildablePluginCode('picky', {
        'picky-rule': { throws: 'bad threshold' },
        'easy-rule': { ok: true },
      }),
    );
    await startKernel();
    const results = await Promise.allSettled([
      kernel!.get('dedupeRules', 'picky-rule'),
      kernel!.get('dedupeRules', 'picky-rule'),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    expect(info('picky').contributions[0]!.state).to.equal('failed');
    expect(trace().filter((t) => t === 'build:picky-rule')).to.have.length(1);
    await kernel!.dispose();
    expect(trace().filter((t) => t.startsWith('deactivate:'))).to.deep.equal(['deactivate:picky']);
    expect(info('picky').state).to.equal('inactive');
  });
});
