import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  type CrmsyncError,
  loadHostConfig,
  REDACTED,
  redact,
  redactHostConfig,
  resolveEnvReferences,
} from '../../core/index.js';

function configFolder(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'crmsync-config-'));
  writeFileSync(
    join(dir, 'crmsync.json'),
    typeof content === 'string' ? content : JSON.stringify(content, null, 2),
  );
  return dir;
}

function failure(run: () => unknown): CrmsyncError {
  try {
    run();
  } catch (error) {
    return error as CrmsyncError;
  }
  throw new Error('expected an error');
}

describe('The host configuration', () => {
  const folders: string[] = [];
  const folder = (content: unknown) => {
    const dir = configFolder(content);
    folders.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('applies the schema defaults to whatever the file leaves out', () => {
    const { config } = loadHostConfig(folder({ host: { port: 8123 } }), {});
    expect(config.host).to.include({ port: 8123, address: '127.0.0.1', logLevel: 'info' });
    expect(config.connectors).to.deep.equal({
      crm: 'crm-rest',
      groupware: 'vcard-file',
      fallback: 'vcard-file',
    });
    expect(config.store.kind).to.equal('sqlite');
  });

  it('resolves the data directory and plugin directories against the configuration folder', () => {
    const dir = folder({ dataDir: 'state', pluginDirectories: ['../more-plugins'] });
    const { config } = loadHostConfig(dir, {});
    expect(config.dataDir).to.equal(join(dir, 'state'));
    expect(config.pluginDirectories).to.deep.equal([join(dir, '..', 'more-plugins')]);
  });

  it('rejects a wrongly typed value, naming the file and the JSON pointer', () => {
    const dir = folder({ host: { port: 'eighty' } });
    const error = failure(() => loadHostConfig(dir, {}));
    expect(error.code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
    expect(error.location).to.deep.equal({ file: join(dir, 'crmsync.json'), pointer: '/host/port' });
    expect(error.message).to.match(/must be integer .*crmsync\.json, at \/host\/port/);
  });

  it('takes a number from the environment for a number setting', () => {
    const { config } = loadHostConfig(folder({ host: { port: '${env:CRMSYNC_PORT}' } }), {
      CRMSYNC_PORT: '8088',
    });
    expect(config.host.port).to.equal(8088);
  });

  it('reads a configuration file saved with a byte-order mark', () => {
    const { config } = loadHostConfig(folder(`\uFEFF${JSON.stringify({ host: { port: 8124 } })}`), {});
    expect(config.host.port).to.equal(8124);
  });

  it('rejects an unknown setting by name, so a typo does not pass silently', () => {
    const error = failure(() => loadHostConfig(folder({ conectors: { crm: 'x' } }), {}));
    expect(error.location.pointer).to.equal('/conectors');
    expect(error.reason).to.equal('unknown property "conectors"');
  });

  it('rejects a value outside its choices, listing them', () => {
    const error = failure(() => loadHostConfig(folder({ store: { kind: 'mongodb' } }), {}));
    expect(error.location.pointer).to.equal('/store/kind');
    expect(error.reason).to.equal('must be one of "sqlite", "postgres"');
  });

  it('reports broken JSON with the line it broke on', () => {
    const error = failure(() => loadHostConfig(folder('{\n  "host": {\n    "port": 80,\n  }\n}'), {}));
    expect(error.code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
    expect(error.location.line).to.equal(4);
  });

  it('takes every default when there is no configuration file at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crmsync-empty-'));
    folders.push(dir);
    expect(loadHostConfig(dir, {}).config.host.port).to.equal(3000);
  });
});

describe('Environment references in configuration', () => {
  it('replaces ${env:NAME} inside strings, wherever they are', () => {
    const resolved = resolveEnvReferences(
      { url: 'postgres://crm:${env:DB_PASSWORD}@127.0.0.1/crm', list: ['${env:REGION}'] },
      'x.json',
      { DB_PASSWORD: 's3cret', REGION: 'eu' },
    );
    expect(resolved).to.deep.equal({ url: 'postgres://crm:s3cret@127.0.0.1/crm', list: ['eu'] });
  });

  it('uses the fallback written after :- when the variable is not set, and the variable when it is', () => {
    const config = { key: '${env:CRM_API_KEY:-crmsync-dev-key}', empty: '${env:EMPTY:-x}' };
    expect(resolveEnvReferences(config, 'x.json', { EMPTY: '' })).to.deep.equal({
      key: 'crmsync-dev-key',
      empty: '',
    });
    expect(resolveEnvReferences(config, 'x.json', { CRM_API_KEY: 'k1' })).to.deep.include({ key: 'k1' });
  });

  it('names the missing variable, the file and the JSON pointer when a variable is not set', () => {
    const dir = configFolder({ host: { apiKey: '${env:CRMSYNC_TEST_UNSET_KEY}' } });
    const error = failure(() => loadHostConfig(dir, {}));
    rmSync(dir, { recursive: true, force: true });
    expect(error.code).to.equal('CRMSYNC_ERR_CONFIG_ENV_MISSING');
    expect(error.message).to.contain('CRMSYNC_TEST_UNSET_KEY');
    expect(error.location.pointer).to.equal('/host/apiKey');
    expect(error.location.file).to.match(/crmsync\.json$/);
  });

  it('validates the resolved value, so a variable holding a wrong type is caught', () => {
    const dir = configFolder({ host: { logLevel: '${env:LEVEL}' } });
    const error = failure(() => loadHostConfig(dir, { LEVEL: 'loud' }));
    rmSync(dir, { recursive: true, force: true });
    expect(error.location.pointer).to.equal('/host/logLevel');
  });
});

describe('Redaction of secrets', () => {
  it('hides values the schema marks secret and keeps everything else readable', () => {
    const dir = configFolder({
      host: { apiKey: '${env:KEY}' },
      store: { kind: 'postgres', postgresUrl: 'postgres://u:pw@127.0.0.1/db' },
    });
    const { config } = loadHostConfig(dir, { KEY: 'top-secret-key' });
    rmSync(dir, { recursive: true, force: true });
    const shown = JSON.stringify(redactHostConfig(config));
    expect(shown).not.to.contain('top-secret-key');
    expect(shown).not.to.contain('pw@');
    expect(shown).to.contain(REDACTED);
    expect(shown).to.contain('"kind":"postgres"');
  });

  it('finds secrets marked inside oneOf, allOf and $ref, as connector profiles declare them', () => {
    const schema = {
      definitions: { password: { type: 'string', secret: true } },
      properties: {
        auth: {
          oneOf: [
            { properties: { type: { const: 'apiKey' }, key: { type: 'string', secret: true } } },
            { properties: { type: { const: 'basic' }, password: { $ref: '#/definitions/password' } } },
          ],
        },
        mirrors: {
          type: 'array',
          items: { allOf: [{ properties: { pin: { type: 'string', secret: true } } }] },
        },
        login: { $ref: '#/definitions/password' },
      },
    };
    const shown = redact(
      { auth: { type: 'apiKey', key: 'k-123456' }, mirrors: [{ pin: '9876', host: 'crm' }], login: 'pw-1' },
      schema as never,
    );
    expect(shown).to.deep.equal({
      auth: { type: 'apiKey', key: REDACTED },
      mirrors: [{ pin: REDACTED, host: 'crm' }],
      login: REDACTED,
    });
  });

  it('hides a secret taken from the environment wherever it ends up, such as inside a URL', () => {
    const resolved = resolveEnvReferences(
      { url: 'https://crm:${env:CRM_PASSWORD}@crm.example/api' },
      'x.json',
      {
        CRM_PASSWORD: 'Wint3r-Sonne!',
      },
    );
    expect(JSON.stringify(redact(resolved))).to.equal(`{"url":"https://crm:${REDACTED}@crm.example/api"}`);
  });

  it('hides values under secret-looking keys even when a schema forgot to mark them', () => {
    expect(redact({ clientSecret: 'abc', nested: { password: 'pw', user: 'anna' } })).to.deep.equal({
      clientSecret: REDACTED,
      nested: { password: REDACTED, user: 'anna' },
    });
  });
});
