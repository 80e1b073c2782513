import { expect } from 'chai';
import { Kernel, type PluginContext } from '../../core/index.js';
import { PluginSandbox, resetTrace, trace } from '../support/plugin-sandbox.js';

/** Plugin code that records the configuration its activate receives. */
const recordsConfig = `export async function activate(context) {
  (globalThis.__crmsyncTrace ??= []).push(JSON.stringify(context.config));
}`;

const schema = {
  type: 'object',
  properties: {
    folder: { type: 'string', default: 'vcards' },
    retry: {
      type: 'object',
      properties: {
        attempts: { type: 'integer', default: 3 },
        backoff: { type: 'object', properties: { firstMs: { type: 'integer', default: 500 } } },
      },
    },
    limits: {
      type: 'object',
      default: { maxCardBytes: 1024 },
      properties: {
        maxCardBytes: { type: 'integer', default: 8388608 },
        maxPhotoBytes: { type: 'integer', default: 5242880 },
      },
    },
    proxy: {
      type: 'object',
      required: ['url'],
      properties: { url: { type: 'string' }, timeoutMs: { type: 'integer', default: 1000 } },
    },
    notes: { type: 'object', properties: { text: { type: 'string' } } },
  },
};

describe("A plugin's configuration", () => {
  let sandbox: PluginSandbox;
  let kernel: Kernel;
  beforeEach(() => {
    sandbox = new PluginSandbox();
    resetTrace();
    sandbox.plugin(
      'settings',
      { activationEvents: ['onStartup'], contributes: { configuration: schema } },
      recordsConfig,
    );
  });
  afterEach(async () => {
    await kernel.dispose();
    sandbox.dispose();
  });

  async function receivedConfig(file?: unknown): Promise<unknown> {
    if (file !== undefined) sandbox.pluginConfig('settings', file);
    kernel = new Kernel({
      pluginDirectories: [sandbox.pluginsDir],
      configDir: sandbox.configDir,
      dataDir: sandbox.dataDir,
    });
    await kernel.start();
    const info = kernel.plugins()[0]!;
    expect(info.state, JSON.stringify(info.error)).to.equal('active');
    return JSON.parse(trace()[0]!);
  }

  it('gets the defaults of nested objects when there is no configuration file', async () => {
    expect(await receivedConfig()).to.deep.equal({
      folder: 'vcards',
      retry: { attempts: 3, backoff: { firstMs: 500 } },
      limits: { maxCardBytes: 1024, maxPhotoBytes: 5242880 },
    });
  });

  it('keeps what the file says and fills in the nested settings it leaves out', async () => {
    expect(await receivedConfig({ retry: { backoff: {} }, limits: { maxPhotoBytes: 10 } })).to.deep.equal({
      folder: 'vcards',
      retry: { attempts: 3, backoff: { firstMs: 500 } },
      limits: { maxCardBytes: 8388608, maxPhotoBytes: 10 },
    });
  });

  it('does not invent an object that needs a value only the file can give', async () => {
    const config = (await receivedConfig({})) as Record<string, unknown>;
    expect(config).not.to.have.property('proxy');
    expect(config).not.to.have.property('notes');
  });

  it('fills in the defaults of an object that needs a value once the file gives it', async () => {
    const config = (await receivedConfig({ proxy: { url: 'http://127.0.0.1:8080' } })) as {
      proxy: unknown;
    };
    expect(config.proxy).to.deep.equal({ url: 'http://127.0.0.1:8080', timeoutMs: 1000 });
  });

  it('shows the same configuration, defaults applied, to the host as to the plugin', async () => {
    const received = await receivedConfig({ folder: 'elsewhere' });
    expect(kernel.pluginConfig('settings')).to.deep.equal(received);
  });

  it('reads as the type the plugin names for it, with no fallbacks in the plugin', async () => {
    interface SettingsConfig {
      folder: string;
      retry: { attempts: number; backoff: { firstMs: number } };
    }
    const context = { config: await receivedConfig() } as PluginContext<SettingsConfig>;
    expect(context.config.retry.backoff.firstMs * context.config.retry.attempts).to.equal(1500);
  });

  it('leaves the schema in the manifest as it was written', async () => {
    await receivedConfig();
    expect(schema.properties.retry).not.to.have.property('default');
  });
});
