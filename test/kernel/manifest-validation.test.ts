import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Kernel, type PluginInfo } from '../../core/index.js';
import { PluginSandbox, tracingPluginCode } from '../support/plugin-sandbox.js';

describe('A plugin with a bad manifest', () => {
  let sandbox: PluginSandbox;
  beforeEach(() => {
    sandbox = new PluginSandbox();
  });
  afterEach(() => sandbox.dispose());

  async function startKernel(kernelVersion = '0.1.0'): Promise<Kernel> {
    const kernel = new Kernel({
      pluginDirectories: [sandbox.pluginsDir],
      configDir: sandbox.configDir,
      dataDir: sandbox.dataDir,
      kernelVersion,
    });
    await kernel.start();
    return kernel;
  }

  function plugin(kernel: Kernel, id: string): PluginInfo {
    const found = kernel.plugins().find((p) => p.id === id);
    if (!found) throw new Error(`plugin ${id} not listed: ${JSON.stringify(kernel.plugins())}`);
    return found;
  }

  function expectFailure(info: PluginInfo, code: string, pointer: string, text: RegExp): void {
    expect(info.state, JSON.stringify(info.error)).to.equal('failed');
    expect(info.error?.code).to.equal(code);
    expect(info.error?.location.pointer).to.equal(pointer);
    expect(info.error?.location.file).to.match(/plugin\.json$/);
    expect(info.error?.message).to.match(text);
  }

  it('is marked failed when a required field is missing, naming the field by JSON pointer', async () => {
    sandbox.plugin(
      'no-main',
      JSON.stringify({ id: 'no-main', version: '1.0.0', displayName: 'x', engines: { crmsync: '*' } }),
    );
    const kernel = await startKernel();
    expectFailure(
      plugin(kernel, 'no-main'),
      'CRMSYNC_ERR_MANIFEST_INVALID',
      '/main',
      /required property "main"/,
    );
  });

  it('is marked failed when plugin.json is not JSON, and keeps the folder name as its id', async () => {
    sandbox.plugin('broken-json', '{ "id": "broken-json", ');
    const kernel = await startKernel();
    expectFailure(plugin(kernel, 'broken-json'), 'CRMSYNC_ERR_MANIFEST_JSON', '', /not valid JSON/);
  });

  it('is marked failed when it names an unknown contribution point', async () => {
    sandbox.plugin('widgets', { contributes: { widgets: [{ id: 'w', displayName: 'W' }] } });
    const kernel = await startKernel();
    expectFailure(
      plugin(kernel, 'widgets'),
      'CRMSYNC_ERR_MANIFEST_INVALID',
      '/contributes/widgets',
      /unknown contribution point "widgets"/,
    );
  });

  it('is marked failed when a contribution lacks its id, pointing into the contribution list', async () => {
    sandbox.plugin('anonymous-rule', {
      contributes: { dedupeRules: [{ displayName: 'R', verdict: 'sure' }] },
    });
    const kernel = await startKernel();
    expectFailure(
      plugin(kernel, 'anonymous-rule'),
      'CRMSYNC_ERR_MANIFEST_INVALID',
      '/contributes/dedupeRules/0/id',
      /"id" is missing/,
    );
  });

  it('is marked failed when engines.crmsync is not a semver range', async () => {
    sandbox.plugin('bad-range', { engines: { crmsync: 'soon-ish' } });
    const kernel = await startKernel();
    expectFailure(
      plugin(kernel, 'bad-range'),
      'CRMSYNC_ERR_MANIFEST_INVALID',
      '/engines/crmsync',
      /"soon-ish" is not a semver range/,
    );
  });

  it('is marked failed when its version is not semver', async () => {
    sandbox.plugin('bad-version', { version: 'one' });
    const kernel = await startKernel();
    expectFailure(
      plugin(kernel, 'bad-version'),
      'CRMSYNC_ERR_MANIFEST_INVALID',
      '/version',
      /not a semantic version/,
    );
  });

  it('is marked failed when it needs another kernel version, saying which', async () => {
    sandbox.plugin('future', { engines: { crmsync: '^2.0.0' } });
    const kernel = await startKernel('0.1.0');
    expectFailure(
      plugin(kernel, 'future'),
      'CRMSYNC_ERR_ENGINE_MISMATCH',
      '/engines/crmsync',
      /needs crmsync \^2\.0\.0, but this kernel is 0\.1\.0/,
    );
  });

  it('is marked failed when its main points outside its own folder', async () => {
    sandbox.plugin('escape', { main: '../other/index.js' });
    const kernel = await startKernel();
    expectFailure(
      plugin(kernel, 'escape'),
      'CRMSYNC_ERR_MAIN_OUTSIDE',
      '/main',
      /points outside the plugin folder/,
    );
  });

  it('is marked failed when its id is already taken, while the first plugin with that id works', async () => {
    sandbox.plugin(
      'a-first',
      { id: 'twin', contributes: { dedupeRules: [{ id: 'first-rule', displayName: 'R', verdict: 'sure' }] } },
      tracingPluginCode('first', ['first-rule']),
    );
    sandbox.plugin('b-second', { id: 'twin' }, tracingPluginCode('second'));
    const kernel = await startKernel();
    const twins = kernel.plugins().filter((p) => p.id === 'twin');
    expect(twins.map((p) => p.state)).to.deep.equal(['registered', 'failed']);
    expect(twins[1]!.error?.code).to.equal('CRMSYNC_ERR_DUPLICATE_PLUGIN');
    expect(twins[1]!.error?.message).to.contain('a-first');
    const rule = (await kernel.get('dedupeRules', 'first-rule')) as unknown as { plugin: string };
    expect(rule.plugin).to.equal('first');
  });

  it('is marked failed when it contributes an id another plugin already contributes', async () => {
    const rule = { dedupeRules: [{ id: 'same-rule', displayName: 'R', verdict: 'possible' }] };
    sandbox.plugin('owner', { contributes: rule }, tracingPluginCode('owner', ['same-rule']));
    sandbox.plugin('thief', { contributes: rule }, tracingPluginCode('thief', ['same-rule']));
    const kernel = await startKernel();
    expectFailure(
      plugin(kernel, 'thief'),
      'CRMSYNC_ERR_CONTRIBUTION_DUPLICATE',
      '/contributes/dedupeRules/0',
      /already contributed by plugin "owner"/,
    );
    expect(plugin(kernel, 'owner').state).to.equal('registered');
  });

  it('reads a manifest saved with a byte-order mark', async () => {
    sandbox.plugin(
      'bom',
      `\uFEFF${JSON.stringify({ id: 'bom', version: '1.0.0', displayName: 'B', engines: { crmsync: '*' }, main: 'index.js' })}`,
    );
    const kernel = await startKernel();
    expect(plugin(kernel, 'bom').state).to.equal('registered');
  });

  it('is marked failed when its configuration schema does not describe an object', async () => {
    sandbox.plugin('list-config', { contributes: { configuration: { type: 'array' } } });
    const kernel = await startKernel();
    expectFailure(
      plugin(kernel, 'list-config'),
      'CRMSYNC_ERR_MANIFEST_INVALID',
      '/contributes/configuration/type',
      /must be "object"/,
    );
  });

  it('is marked failed when its configuration schema uses a keyword JSON Schema does not know', async () => {
    sandbox.plugin('typo-schema', { contributes: { configuration: { type: 'object', propertees: {} } } });
    const kernel = await startKernel();
    expectFailure(
      plugin(kernel, 'typo-schema'),
      'CRMSYNC_ERR_MANIFEST_INVALID',
      '/contributes/configuration',
      /propertees/,
    );
  });

  it('is marked failed when main escapes its folder through a symbolic link', async () => {
    const outside = sandbox.plugin('outside', {}, 'export const bindings = undefined;');
    const dir = sandbox.plugin('linked', { main: 'lib/index.js' });
    symlinkSync(outside, join(dir, 'lib'));
    const kernel = await startKernel();
    expectFailure(
      plugin(kernel, 'linked'),
      'CRMSYNC_ERR_MAIN_OUTSIDE',
      '/main',
      /points outside the plugin folder/,
    );
  });

  it('is marked failed when main names a file that is not there, saying so when its code is needed', async () => {
    sandbox.plugin('missing-main', { main: 'dist/index.js', activationEvents: ['onStartup'] });
    const kernel = await startKernel();
    const info = plugin(kernel, 'missing-main');
    expect(info.error?.code).to.equal('CRMSYNC_ERR_PLUGIN_LOAD');
    expect(info.error?.message).to.match(/its code could not be loaded from .*missing-main\/dist\/index\.js/);
  });

  it('skips a dangling link in a plugin directory and still finds the other plugins', async () => {
    symlinkSync(join(sandbox.root, 'nowhere'), join(sandbox.pluginsDir, 'dangling'));
    sandbox.plugin('present', {}, 'export {};');
    const kernel = await startKernel();
    expect(kernel.plugins().map((p) => p.id)).to.deep.equal(['present']);
  });

  it('reports every violation at once, each with its JSON pointer, in one failure', async () => {
    sandbox.plugin(
      'sloppy',
      JSON.stringify({
        id: 'sloppy',
        version: 'one',
        displayName: '',
        engines: { crmsync: '*' },
        activationEvents: ['onWidget:clock'],
        contributes: { dedupeRules: [{ id: 'r', displayName: 'R' }] },
      }),
    );
    const kernel = await startKernel();
    const info = plugin(kernel, 'sloppy');
    expect(info.state).to.equal('failed');
    expect(info.error?.code).to.equal('CRMSYNC_ERR_MANIFEST_INVALID');
    expect(info.error?.violations?.map((v) => v.pointer)).to.have.members([
      '/main',
      '/displayName',
      '/activationEvents/0',
      '/contributes/dedupeRules/0/verdict',
      '/version',
    ]);
    expect(info.error?.location.pointer).to.equal(info.error?.violations?.[0]?.pointer);
    expect(info.error?.message).to.match(/^5 problems: /);
    for (const violation of info.error!.violations!) {
      expect(info.error?.message).to.contain(`${violation.message} (at ${violation.pointer})`);
    }
    expect(info.error?.message).to.contain('required property "main" is missing (at /main)');
    expect(info.error?.message).to.contain('"one" is not a semantic version (at /version)');
    expect(info.error?.message).not.to.match(/more problem/);
  });

  it('names each violation with its own code when they differ, and the failure as an invalid manifest', async () => {
    sandbox.plugin('wayward', { engines: { crmsync: '^7.0.0' }, main: '../elsewhere/index.js' });
    const kernel = await startKernel('0.1.0');
    const error = plugin(kernel, 'wayward').error!;
    expect(error.code).to.equal('CRMSYNC_ERR_MANIFEST_INVALID');
    expect(error.violations).to.deep.equal([
      {
        pointer: '/engines/crmsync',
        message: 'needs crmsync ^7.0.0, but this kernel is 0.1.0',
        code: 'CRMSYNC_ERR_ENGINE_MISMATCH',
      },
      {
        pointer: '/main',
        message: `"../elsewhere/index.js" points outside the plugin folder ${join(sandbox.pluginsDir, 'wayward')}`,
        code: 'CRMSYNC_ERR_MAIN_OUTSIDE',
      },
    ]);
  });

  it('reports a contribution id declared twice beside the other problems of the manifest', async () => {
    const twice = { id: 'twice', displayName: 'T', verdict: 'sure' };
    sandbox.plugin('repeats', { version: '1', contributes: { dedupeRules: [twice, twice] } });
    const kernel = await startKernel();
    expect(plugin(kernel, 'repeats').error?.violations?.map((v) => [v.pointer, v.message])).to.deep.equal([
      ['/version', '"1" is not a semantic version'],
      ['/contributes/dedupeRules/1/id', 'contribution id "twice" is declared twice'],
    ]);
  });

  it('is marked failed when plugin.json holds JSON that is not an object', async () => {
    sandbox.plugin('listed', '[]');
    const kernel = await startKernel();
    expectFailure(plugin(kernel, 'listed'), 'CRMSYNC_ERR_MANIFEST_INVALID', '', /must be object/);
  });

  it('leaves every valid plugin registered beside the failed ones', async () => {
    sandbox.plugin('good', {}, tracingPluginCode('good'));
    sandbox.plugin('bad', { engines: { crmsync: '>=9' } });
    const kernel = await startKernel();
    expect(plugin(kernel, 'good').state).to.equal('registered');
    expect(plugin(kernel, 'bad').state).to.equal('failed');
  });
});
