import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  activationEventFor,
  type ContributionPoint,
  contributionPoints,
  type DedupeRule,
  Kernel,
  manifestSchemaFiles,
} from '../../core/index.js';
import { repoRoot } from '../support/paths.js';
import { PluginSandbox, tracingPluginCode } from '../support/plugin-sandbox.js';

const points = Object.keys(contributionPoints) as ContributionPoint[];

describe('The contribution point table', () => {
  for (const [name, generated] of Object.entries(manifestSchemaFiles())) {
    it(`matches core/kernel/${name}, which editors read (npm run schemas rewrites it)`, () => {
      const file = join(repoRoot, 'core', 'kernel', name);
      const onDisk = JSON.parse(readFileSync(file, 'utf8'));
      expect(onDisk, `${file} differs from the contribution point table: run npm run schemas`).to.deep.equal(
        generated,
      );
    });
  }

  describe('in a manifest', () => {
    let sandbox: PluginSandbox;
    let kernel: Kernel;
    beforeEach(() => {
      sandbox = new PluginSandbox();
    });
    afterEach(async () => {
      await kernel?.dispose();
      sandbox.dispose();
    });

    async function start(): Promise<Kernel> {
      kernel = new Kernel({
        pluginDirectories: [sandbox.pluginsDir],
        configDir: sandbox.configDir,
        dataDir: sandbox.dataDir,
      });
      await kernel.start();
      return kernel;
    }

    it("accepts every point of the table with its own descriptor fields and every point's activation event", async () => {
      const descriptor = (point: ContributionPoint) => ({
        id: `a-${point.toLowerCase()}`,
        displayName: point,
        ...(point === 'dedupeRules' ? { verdict: 'sure' } : {}),
        ...(point === 'fileImporters' ? { fileExtensions: ['.vcf'] } : {}),
      });
      sandbox.plugin('everything', {
        activationEvents: points.map((point) => activationEventFor(point, descriptor(point).id)),
        contributes: Object.fromEntries(points.map((point) => [point, [descriptor(point)]])),
      });
      await start();
      const info = kernel.plugins()[0]!;
      expect(info.state, JSON.stringify(info.error)).to.equal('registered');
      expect(info.contributions.map((c) => c.point)).to.deep.equal(points);
    });

    it('refuses a descriptor that lacks a field its point requires', async () => {
      sandbox.plugin('loose-importer', {
        contributes: { fileImporters: [{ id: 'csv', displayName: 'CSV' }] },
      });
      await start();
      const error = kernel.plugins()[0]!.error!;
      expect(error.location.pointer).to.equal('/contributes/fileImporters/0/fileExtensions');
      expect(error.message).to.equal('required property "fileExtensions" is missing');
    });

    it('refuses an activation event no point of the table has, naming the known ones', async () => {
      sandbox.plugin('odd-event', { activationEvents: ['onWidget:clock'] });
      await start();
      const error = kernel.plugins()[0]!.error!;
      expect(error.location.pointer).to.equal('/activationEvents/0');
      expect(error.message).to.equal(
        '"onWidget:clock" is not an activation event (known: onStartup, *, onConnector:<id>, onExportOption:<id>, onDedupeRule:<id>, onPartnerResolver:<id>, onFileImporter:<id>)',
      );
    });

    it('gives kernel.get the type of the point, so a rule is usable without a cast', async () => {
      sandbox.plugin(
        'typed',
        { contributes: { dedupeRules: [{ id: 'typed-rule', displayName: 'T', verdict: 'sure' }] } },
        tracingPluginCode('typed', ['typed-rule']),
      );
      await start();
      const rule: DedupeRule = await kernel.get('dedupeRules', 'typed-rule');
      expect(rule.evaluate({} as never, {} as never)).to.equal(undefined);
    });
  });
});
