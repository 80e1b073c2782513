import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { unzipSync } from 'fflate';
import { Container } from 'inversify';
import {
  builtinPluginDirectory,
  ContactFileImporter,
  CrmsyncError,
  ExportOption,
  GroupwareConnector,
  Kernel,
  PluginContext,
  silentLogger,
} from '../../../core/index.js';
import { repoRoot } from '../../../test/support/paths.js';
import { bindings } from '../src/index.js';
import { defaultMaxCardBytes } from '../src/plugin-options.js';
import { collect, contact, handWrittenCard } from './support/contacts.js';
import { createContact } from './support/folder-writes.js';
import { arriving, MemorySink } from './support/sinks.js';

describe('The vcard-file plugin in the kernel', () => {
  let root: string;
  let kernel: Kernel;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'crmsync-vcard-plugin-'));
    mkdirSync(join(root, 'config', 'plugins'), { recursive: true });
    writeFileSync(
      join(root, 'config', 'plugins', 'vcard-file.json'),
      JSON.stringify({ folder: 'austausch', version: '4.0' }),
    );
    kernel = new Kernel({
      pluginDirectories: [builtinPluginDirectory],
      configDir: join(root, 'config'),
      dataDir: join(root, 'data'),
    });
    await kernel.start();
  });
  afterEach(async () => {
    await kernel.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes contacts into the configured folder of its data directory in the configured version', async () => {
    const connector = await kernel.get('groupwareConnectors', 'vcard-file');
    const created = await createContact(
      connector,
      contact({ givenName: 'Lena', surname: 'Vogt', ids: { crmId: 'AP-7' } }),
    );
    const folder = join(root, 'data', 'plugins', 'vcard-file', 'austausch');
    expect(readdirSync(folder)).to.deep.equal([created.ids.groupwareId]);
    expect(readFileSync(join(folder, created.ids.groupwareId as string), 'utf8')).to.contain(
      '\r\nVERSION:4.0\r\n',
    );
    expect((await connector.health()).ok).to.equal(true);
  });

  it('offers both export options: a ZIP for Outlook and a single file', async () => {
    const people = [contact({ surname: 'Eins' }), contact({ surname: 'Zwei' })];
    const outlook = await kernel.get('exportOptions', 'vcard-outlook');
    const zip = new MemorySink();
    await outlook.export(people, zip);
    expect(Object.keys(unzipSync(zip.bytes))).to.have.length(2);
    const single = await kernel.get('exportOptions', 'vcard-single');
    const file = new MemorySink();
    await single.export(people, file);
    expect(file.text).to.match(/^VERSION:4\.0\r$/m);
  });
});

/** The configuration as the kernel hands it to the plugin: every default of the manifest applied. */
const defaultConfig = {
  folder: 'vcards',
  folders: [] as string[],
  version: '3.0',
  outlookFolder: 'outlook-export',
  maxCardBytes: 8 * 1024 * 1024,
  maxPhotoBytes: 5 * 1024 * 1024,
};

describe('The vcard-file plugin module', () => {
  it('offers the Outlook export into a folder of its data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crmsync-vcard-export-'));
    try {
      const container = new Container();
      const context: PluginContext = {
        pluginId: 'vcard-file',
        pluginDir: '.',
        dataDir,
        config: defaultConfig,
        configDir: '.',
        logger: silentLogger,
        outbound: { ended() {} },
        subscriptions: [],
      };
      container.bind(PluginContext).toConstantValue(context);
      await container.loadAsync(bindings);
      const option = container.get<ExportOption>(ExportOption, { name: 'vcard-outlook-folder' });
      const sink = new MemorySink();
      const report = await option.export([contact({ givenName: 'Lena', surname: 'Vogt' })], sink);
      expect(option.producesFile).to.equal(false);
      expect(sink.file).to.equal(undefined);
      expect(report.written).to.equal(1);
      expect(readdirSync(join(dataDir, 'outlook-export'))).to.deep.equal(['Vogt, Lena.vcf']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('declares the new export option and a card limit of 8 MiB in its manifest and defaults', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'plugins', 'vcard-file', 'plugin.json'), 'utf8'));
    expect(manifest.contributes.configuration.properties.maxCardBytes.default).to.equal(8 * 1024 * 1024);
    expect(defaultMaxCardBytes).to.equal(8 * 1024 * 1024);
    expect(manifest.contributes.exportOptions.map((o: { id: string }) => o.id)).to.include(
      'vcard-outlook-folder',
    );
    expect(manifest.activationEvents).to.include('onExportOption:vcard-outlook-folder');
  });

  it('binds a file importer beside the connector, with the configured card limit', async () => {
    const container = new Container();
    const context: PluginContext = {
      pluginId: 'vcard-file',
      pluginDir: '.',
      dataDir: tmpdir(),
      config: { ...defaultConfig, maxCardBytes: 2048 },
      configDir: '.',
      logger: silentLogger,
      outbound: { ended() {} },
      subscriptions: [],
    };
    container.bind(PluginContext).toConstantValue(context);
    await container.loadAsync(bindings);
    const importer = container.get<ContactFileImporter>(ContactFileImporter, { name: 'vcard-file' });
    const file = handWrittenCard('Eva Wolf') + handWrittenCard('Gabi Groß', [`NOTE:${'x'.repeat(4000)}`]);
    const items = await collect(importer.importFile(arriving(file), 'upload.vcf'));
    expect(items.map((item) => item.ok)).to.deep.equal([true, false]);
  });

  it('fails only the folder connector for a folder setting that cannot work; exports and importer still serve', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crmsync-vcard-bad-folder-'));
    try {
      for (const folder of ['', '.', 'snapshots']) {
        const container = new Container();
        const context: PluginContext = {
          pluginId: 'vcard-file',
          pluginDir: '.',
          dataDir,
          config: { ...defaultConfig, folder },
          configDir: join(dataDir, 'config'),
          logger: silentLogger,
          outbound: { ended() {} },
          subscriptions: [],
        };
        container.bind(PluginContext).toConstantValue(context);
        await container.loadAsync(bindings);
        let error: unknown;
        try {
          container.get<GroupwareConnector>(GroupwareConnector, { name: 'vcard-file' });
        } catch (caught) {
          error = caught;
        }
        const failure = [error, (error as { cause?: unknown })?.cause].find((e) => e instanceof CrmsyncError);
        expect(failure, `folder "${folder}"`).to.be.instanceOf(CrmsyncError);
        expect((failure as CrmsyncError).code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
        expect((failure as CrmsyncError).location.pointer).to.equal('/folder');

        const single = container.get<ExportOption>(ExportOption, { name: 'vcard-single' });
        const sink = new MemorySink();
        expect((await single.export([contact({ surname: 'Vogt' })], sink)).written).to.equal(1);
        const zip = container.get<ExportOption>(ExportOption, { name: 'vcard-outlook' });
        expect((await zip.export([contact({ surname: 'Vogt' })], new MemorySink())).written).to.equal(1);
        const importer = container.get<ContactFileImporter>(ContactFileImporter, { name: 'vcard-file' });
        expect(await collect(importer.importFile(arriving(sink.bytes), 'upload.vcf'))).to.have.length(1);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  const connectorWith = async (dataDir: string, config: Partial<typeof defaultConfig>) => {
    const container = new Container();
    const context: PluginContext = {
      pluginId: 'vcard-file',
      pluginDir: '.',
      dataDir,
      config: { ...defaultConfig, ...config },
      configDir: join(dataDir, 'config'),
      logger: silentLogger,
      subscriptions: [],
      outbound: { ended() {} },
    };
    container.bind(PluginContext).toConstantValue(context);
    await container.loadAsync(bindings);
    return container.get<GroupwareConnector>(GroupwareConnector, { name: 'vcard-file' });
  };

  it('places each further folder in its data directory, the default first, with change state of its own', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crmsync-vcard-folders-'));
    try {
      const [first, second] = (await connectorWith(dataDir, { folders: ['zweiter'] })).accounts();
      expect([first!.accountKey, second!.accountKey]).to.deep.equal([
        join(dataDir, 'vcards'),
        join(dataDir, 'zweiter'),
      ]);
      for (const account of [first!, second!]) await collect(account.changesSince());
      const stateFolders = readdirSync(dataDir).filter((name) => name.startsWith('snapshots'));
      expect(stateFolders, 'the default keeps the state folder it always had').to.include('snapshots');
      expect(stateFolders).to.have.length(2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a folder configured twice, naming where', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crmsync-vcard-twice-'));
    try {
      const error = (await connectorWith(dataDir, { folders: [join(dataDir, 'vcards')] }).catch(
        (e: Error) => e,
      )) as Error;
      const failure = [error, (error as { cause?: unknown }).cause].find((e) => e instanceof CrmsyncError);
      expect((failure as CrmsyncError).code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
      expect((failure as CrmsyncError).location.pointer).to.equal('/folders/0');
      expect((failure as CrmsyncError).message).to.match(/configured twice/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
