import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { builtinPluginDirectory, CrmsyncError, Kernel, loadConfigFile } from '../../../core/index.js';
import { type CrmServer, startCrmServer } from '../../../emulators/crm/index.js';
import { repoRoot } from '../../../test/support/paths.js';
import { CrmRestConnector, loadProfileFile, profileSchema } from '../src/index.js';
import type { Profile } from '../src/profile/profile.js';
import { collect } from './support/connector-suite.js';
import { readProfile, referenceProfileFile } from './support/profiles.js';

function startupError(change: (profile: Profile) => void): CrmsyncError {
  const profile = readProfile(referenceProfileFile);
  change(profile);
  try {
    new CrmRestConnector({ profile, profileFile: referenceProfileFile });
  } catch (error) {
    expect(error).to.be.instanceOf(CrmsyncError);
    return error as CrmsyncError;
  }
  throw new Error('expected the profile to be refused at start-up');
}

describe('crm-rest mapping profile at start-up', () => {
  it('refuses a mapping path that matches nothing in the sample record, naming file and pointer', () => {
    const error = startupError((profile) => {
      profile.contact.fields.givenName = '/firstNme';
    });
    expect(error.code).to.equal('CRMSYNC_ERR_PROFILE_INVALID');
    expect(error.location).to.deep.equal({
      file: referenceProfileFile,
      pointer: '/contact/fields/givenName',
    });
    expect(error.message).to.contain('"/firstNme" matches nothing in the sample record');
  });

  it('checks paths inside list items against the first item of the sample list', () => {
    const error = startupError((profile) => {
      profile.contact.emails!.value = '/adresse';
    });
    expect(error.location.pointer).to.equal('/contact/emails/value');
    expect(error.message).to.contain('the first item of /emails');
  });

  it('checks slot paths and partner paths too', () => {
    expect(
      startupError((profile) => {
        profile.contact.phones!.slots![1]!.path = '/phones/handy';
      }).location.pointer,
    ).to.equal('/contact/phones/slots/1/path');
    expect(
      startupError((profile) => {
        profile.partner!.fields.name = { path: '/firma' };
      }).location.pointer,
    ).to.equal('/partner/fields/name/path');
  });

  it('refuses a value map that does not know the code of its own sample', () => {
    const error = startupError((profile) => {
      profile.contact.fields.salutation = { path: '/salutationCode', values: { H: 'Herr' } };
    });
    expect(error.location.pointer).to.equal('/contact/sample');
    expect(error.message).to.contain('salutation');
    expect(error.message).to.contain('"F"');
  });

  it('names the unknown property of a misspelt profile', () => {
    const error = startupError((profile) => {
      (profile as unknown as Record<string, unknown>).pagign = {};
    });
    expect(error.location.pointer).to.equal('/pagign');
    expect(error.message).to.contain('unknown property');
  });

  it('accepts only model fields under contact.ignore', () => {
    const error = startupError((profile) => {
      (profile.contact as unknown as Record<string, unknown>).ignore = ['nickname', 'schuhgroesse'];
    });
    expect(error.code).to.equal('CRMSYNC_ERR_PROFILE_INVALID');
    expect(error.location.pointer).to.equal('/contact/ignore/1');
  });

  it('requires what the paging style needs', () => {
    const error = startupError((profile) => {
      delete profile.paging.nextCursor;
    });
    expect(error.location.pointer).to.equal('/paging/nextCursor');
  });

  it('takes the reference CRM address from CRMSYNC_REFERENCE_CRM_URL inside the longer baseUrl, read by the kernel or directly', () => {
    const hostFile = join(repoRoot, 'config', 'plugins', 'crm-rest.json');
    const env = { CRMSYNC_REFERENCE_CRM_URL: 'http://127.0.0.1:5123' };
    expect(loadConfigFile<Profile>(hostFile, profileSchema(), { env }).value.baseUrl).to.equal(
      'http://127.0.0.1:5123/api/v1',
    );
    expect(loadProfileFile(referenceProfileFile, env).baseUrl).to.equal('http://127.0.0.1:5123/api/v1');
    expect(loadProfileFile(referenceProfileFile, {}).baseUrl).to.equal('http://127.0.0.1:4010/api/v1');
    expect(new CrmRestConnector({ profileFile: referenceProfileFile }).profile.baseUrl).to.match(
      /^http:\/\/.+\/api\/v1$/,
    );
  });

  it('reports a profile file that is not JSON with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-rest-'));
    try {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '{ "baseUrl": ');
      const error = (() => {
        try {
          new CrmRestConnector({ profileFile: file });
        } catch (caught) {
          return caught as CrmsyncError;
        }
        throw new Error('expected a failure');
      })();
      expect(error.code).to.equal('CRMSYNC_ERR_PROFILE_INVALID');
      expect(error.location.file).to.equal(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships the reference profile as the host configuration, valid against the manifest schema', () => {
    const hostFile = join(repoRoot, 'config', 'plugins', 'crm-rest.json');
    const { $schema: _a, ...host } = JSON.parse(readFileSync(hostFile, 'utf8'));
    const { $schema: _b, ...shipped } = JSON.parse(readFileSync(referenceProfileFile, 'utf8'));
    expect(host).to.deep.equal(shipped);
    const loaded = loadConfigFile<Profile>(hostFile, profileSchema(), { env: {} });
    expect(loaded.value.baseUrl).to.equal('http://127.0.0.1:4010/api/v1');
    const secret = (
      profileSchema() as {
        properties: { auth: { oneOf: { properties: Record<string, { secret?: boolean }> }[] } };
      }
    ).properties.auth.oneOf;
    expect(
      secret.flatMap((option) => Object.values(option.properties).filter((property) => property.secret)),
    ).to.have.length(3);
  });
});

describe('crm-rest as a kernel plugin', () => {
  let server: CrmServer;
  let dir: string;
  before(async () => {
    server = await startCrmServer({
      port: 0,
      apiKey: 'kernel-test-key',
      seed: { partners: 3, contacts: 40 },
    });
    dir = mkdtempSync(join(tmpdir(), 'crm-rest-kernel-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the configured CRM from the configuration file alone, with the secret taken from the environment', async () => {
    const profile = readProfile(referenceProfileFile);
    profile.baseUrl = server.url;
    profile.auth = { type: 'apiKey', header: 'X-API-Key', key: '${env:CRM_TEST_KEY}' };
    mkdirSync(join(dir, 'config', 'plugins'), { recursive: true });
    writeFileSync(join(dir, 'config', 'plugins', 'crm-rest.json'), JSON.stringify(profile));
    const kernel = new Kernel({
      pluginDirectories: [builtinPluginDirectory],
      configDir: join(dir, 'config'),
      dataDir: join(dir, 'data'),
      env: { CRM_TEST_KEY: 'kernel-test-key' },
    });
    await kernel.start();
    try {
      const connector = await kernel.get('crmConnectors', 'crm-rest');
      expect(connector).to.be.instanceOf(CrmRestConnector);
      expect((await connector.health()).ok).to.equal(true);
      const listed = await collect(connector.searchContacts());
      expect(listed.filter((item) => item.ok)).to.have.length(40);
    } finally {
      await kernel.dispose();
    }
  });
});
