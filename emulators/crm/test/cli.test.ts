import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { expect } from 'chai';
import { repoRoot } from '../../../test/support/paths.js';

describe('npm run crm', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('serves the demo CRM and says where and with which key', async () => {
    child = spawn(process.execPath, [join(repoRoot, 'dist', 'emulators', 'crm', 'cli.js')], {
      env: { ...process.env, CRM_PORT: '0', CRM_API_KEY: '', CRM_CONTACTS: '60', CRM_PARTNERS: '6' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    for await (const chunk of child.stdout!) {
      output += chunk;
      if (output.includes('OpenAPI')) break;
    }
    const url = /listening at (\S+)/.exec(output)?.[1];
    expect(url, output).to.match(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(output).to.contain('6 business partners, 60 contact persons');
    expect(output).to.contain('development default "crmsync-dev-key"');
    const response = await fetch(`${url}/contacts?limit=1`, { headers: { 'x-api-key': 'crmsync-dev-key' } });
    expect(response.status).to.equal(200);
  });
});
