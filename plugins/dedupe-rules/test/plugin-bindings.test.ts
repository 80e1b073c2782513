import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { builtinPluginDirectory, Kernel } from '../../../core/index.js';
import { person } from './support/people.js';

describe('The dedupe-rules plugin in the kernel', () => {
  let root: string;
  let kernel: Kernel;
  async function start(config?: Record<string, unknown>): Promise<void> {
    mkdirSync(join(root, 'config', 'plugins'), { recursive: true });
    if (config) writeFileSync(join(root, 'config', 'plugins', 'dedupe-rules.json'), JSON.stringify(config));
    kernel = new Kernel({
      pluginDirectories: [builtinPluginDirectory],
      configDir: join(root, 'config'),
      dataDir: join(root, 'data'),
    });
    await kernel.start();
  }
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'crmsync-dedupe-plugin-'));
  });
  afterEach(async () => {
    await kernel?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('contributes the three rules and the two partner resolvers', async () => {
    await start();
    for (const id of ['sure-email', 'sure-surname-mobile', 'possible-person']) {
      const rule = await kernel.get('dedupeRules', id);
      expect(rule.blockingKeys, id).to.be.a('function');
    }
    for (const id of ['email-domain', 'company-name']) {
      const resolver = await kernel.get('partnerResolvers', id);
      expect(resolver.resolve, id).to.be.a('function');
    }
  });

  it('reads national mobile numbers in the region of its configuration', async () => {
    await start({ defaultRegion: 'AT' });
    const rule = await kernel.get('dedupeRules', 'sure-surname-mobile');
    const finding = rule.evaluate(
      person({ surname: 'Huber', mobile: '0664 1234567' }),
      person({ surname: 'Huber', mobile: '+43 664 1234567' }),
    );
    expect(finding?.verdict).to.equal('sure');
  });

  it('reads them as German numbers without a configuration', async () => {
    await start();
    const rule = await kernel.get('dedupeRules', 'sure-surname-mobile');
    const finding = rule.evaluate(
      person({ surname: 'Huber', mobile: '0171 1234567' }),
      person({ surname: 'Huber', mobile: '+49 171 1234567' }),
    );
    expect(finding?.verdict).to.equal('sure');
  });
});
