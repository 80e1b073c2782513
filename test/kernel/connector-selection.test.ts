import { expect } from 'chai';
import { Kernel, selectGroupwareConnector } from '../../core/index.js';
import { PluginSandbox } from '../support/plugin-sandbox.js';

function groupwarePlugin(id: string, healthy: boolean): [Record<string, unknown>, string] {
  return [
    { contributes: { groupwareConnectors: [{ id, displayName: id }] } },
    `import { ContainerModule } from 'inversify';
export const bindings = new ContainerModule(({ bind }) => {
  bind(Symbol.for('crmsync.GroupwareConnector')).toConstantValue({
    name: ${JSON.stringify(id)},
    async health() { return ${healthy} ? { ok: true, detail: 'ready' } : { ok: false, detail: 'mailbox unreachable (timeout)' }; },
  }).whenNamed(${JSON.stringify(id)});
});`,
  ];
}

describe('Choosing the groupware connector', () => {
  let sandbox: PluginSandbox;
  let kernel: Kernel;
  beforeEach(() => {
    sandbox = new PluginSandbox();
  });
  afterEach(async () => {
    await kernel.dispose();
    sandbox.dispose();
  });
  const start = async () => {
    kernel = new Kernel({
      pluginDirectories: [sandbox.pluginsDir],
      configDir: sandbox.configDir,
      dataDir: sandbox.dataDir,
    });
    await kernel.start();
  };

  it('uses the configured connector while it is healthy', async () => {
    sandbox.plugin('outlook', ...groupwarePlugin('outlook', true));
    sandbox.plugin('folder', ...groupwarePlugin('folder', true));
    await start();
    const selected = await selectGroupwareConnector(kernel, { groupware: 'outlook', fallback: 'folder' });
    expect(selected.id).to.equal('outlook');
    expect(selected.fallbackReason).to.equal(undefined);
  });

  it('falls back to the vCard folder when Outlook is not reachable, and says why', async () => {
    sandbox.plugin('outlook', ...groupwarePlugin('outlook', false));
    sandbox.plugin('folder', ...groupwarePlugin('folder', true));
    await start();
    const selected = await selectGroupwareConnector(kernel, { groupware: 'outlook', fallback: 'folder' });
    expect(selected.id).to.equal('folder');
    expect(selected.fallbackReason).to.equal('"outlook" is not available: mailbox unreachable (timeout)');
  });

  it("falls back when the configured connector's plugin failed to load", async () => {
    sandbox.plugin(
      'outlook',
      { contributes: { groupwareConnectors: [{ id: 'outlook', displayName: 'O' }] } },
      "throw new Error('graph client missing');",
    );
    sandbox.plugin('folder', ...groupwarePlugin('folder', true));
    await start();
    const selected = await selectGroupwareConnector(kernel, { groupware: 'outlook', fallback: 'folder' });
    expect(selected.id).to.equal('folder');
    expect(selected.fallbackReason).to.match(/plugin "outlook" failed: .*graph client missing/);
  });

  it('says plainly when neither the connector nor its fallback is available', async () => {
    sandbox.plugin('outlook', ...groupwarePlugin('outlook', false));
    await start();
    const error = (await selectGroupwareConnector(kernel, { groupware: 'outlook', fallback: 'folder' }).catch(
      (e: Error) => e,
    )) as Error;
    expect(error.message).to.equal(
      'neither "outlook" (mailbox unreachable (timeout)) nor the fallback "folder" (no plugin contributes groupwareConnectors "folder") is available',
    );
  });
});
