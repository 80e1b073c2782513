import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { CrmsyncError } from '../../../core/index.js';
import { createRuntime } from '../../../host/runtime.js';
import { repoRoot } from '../../../test/support/paths.js';
import { type CrmServer, startCrmServer } from '../index.js';
import { call } from './support/call.js';

const partners = [
  { id: 'GP-7001', name: 'Brauerei Sonnenhof GmbH', emailDomains: ['sonnenhof.de'] },
  {
    id: 'GP-7002',
    name: 'Weiß & Söhne KG',
    emailDomains: ['weiss-soehne.de'],
    updatedAt: '2024-05-01T10:00:00.000Z',
  },
];
const contacts = [
  {
    id: 'AP-000042',
    partnerId: 'GP-7001',
    salutationCode: 'F',
    firstName: 'Jördis',
    lastName: 'Groß-Übel',
    emails: [{ address: 'joerdis.gross@sonnenhof.de', kind: 'work', primary: true }],
    phones: { business: '0711 123456-12' },
    birthday: '1980-02-29',
    groupwareSync: true,
    version: 7,
    createdAt: '2024-01-02T08:00:00.000Z',
    updatedAt: '2024-03-04T09:00:00.000Z',
  },
  { id: 'CRM-ZWEI', partnerId: 'GP-7002', lastName: 'Weiß' },
];

describe('The reference CRM started from a data file (CRM_DATA)', () => {
  let dir: string;
  let crm: CrmServer | undefined;
  const write = (name: string, content: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };
  const startFailure = (options: Parameters<typeof startCrmServer>[0]) =>
    startCrmServer({ port: 0, ...options }).then(
      (started) => {
        crm = started;
        return undefined;
      },
      (error: unknown) => error as CrmsyncError,
    );
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crmsync-crm-data-'));
  });
  afterEach(async () => {
    await crm?.close();
    crm = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves exactly the partners and contacts of the file, with their ids, instead of demo data', async () => {
    crm = await startCrmServer({ port: 0, dataFile: write('daten.json', { partners, contacts }) });
    expect(crm.startedFrom).to.equal('data-file');
    const listed = await call(crm, 'GET', '/api/v1/contacts?limit=100');
    expect(listed.json.items.map((contact: { id: string }) => contact.id)).to.deep.equal([
      'AP-000042',
      'CRM-ZWEI',
    ]);
    const jördis = await call(crm, 'GET', '/api/v1/contacts/AP-000042');
    expect(jördis.json).to.include({
      partnerName: 'Brauerei Sonnenhof GmbH',
      lastName: 'Groß-Übel',
      version: 7,
      updatedAt: '2024-03-04T09:00:00.000Z',
      hasPhoto: false,
    });
    expect((await call(crm, 'GET', '/api/v1/partners/GP-7002')).json.name).to.equal('Weiß & Söhne KG');
    const weiss = await call(crm, 'GET', '/api/v1/contacts/CRM-ZWEI');
    expect(weiss.json).to.include({ version: 1, groupwareSync: true });
  });

  it('finds the loaded contacts by e-mail and phone, and gives a new contact an id of its own', async () => {
    crm = await startCrmServer({ port: 0, dataFile: write('daten.json', { partners, contacts }) });
    const found = await call(crm, 'POST', '/api/v1/contacts/lookup', {
      body: { emails: ['JOERDIS.GROSS@sonnenhof.de'], phones: ['+49 711 12345612'] },
    });
    expect(JSON.stringify(found.json)).to.contain('AP-000042');
    const created = await call(crm, 'POST', '/api/v1/contacts', {
      body: { partnerId: 'GP-7002', lastName: 'Neu' },
    });
    expect(created.status).to.equal(201);
    expect(created.json.id).to.not.be.oneOf(['AP-000042', 'CRM-ZWEI']);
    expect(crm.store.countContacts()).to.equal(3);
  });

  it('refuses a file that is not JSON, naming the file and the line, and creates no database', async () => {
    const dbFile = join(dir, 'crm.db');
    const file = write(
      'kaputt.json',
      '{\n  "partners": [{ "id": "GP-1", "name": "Müller & Söhne" }],\n  "contacts": [,]\n}',
    );
    const error = await startFailure({ dbFile, dataFile: file });
    expect(error).to.be.instanceOf(CrmsyncError);
    expect(error?.code).to.equal('CRMSYNC_ERR_CRM_DATA_INVALID');
    expect(error?.location).to.deep.equal({ file, line: 3 });
    expect(error?.message).to.contain('column 16');
    expect(error?.message).to.contain(file);
    expect(existsSync(dbFile)).to.equal(false);
  });

  for (const [what, change, pointer, words] of [
    [
      'an e-mail address that is none',
      (c: Record<string, unknown>[]) => {
        c[1] = { ...c[1], emails: [{ address: 'kein-at-zeichen' }] };
      },
      '/contacts/1/emails/0/address',
      'is not an e-mail address',
    ],
    [
      'a contact of a partner the file does not have',
      (c: Record<string, unknown>[]) => {
        c[1] = { ...c[1], partnerId: 'GP-9999' };
      },
      '/contacts/1/partnerId',
      'GP-9999',
    ],
    [
      'the same contact id twice',
      (c: Record<string, unknown>[]) => {
        c[1] = { ...c[1], id: 'AP-000042' };
      },
      '/contacts/1/id',
      'repeats the id "AP-000042" of /contacts/0',
    ],
    [
      'a birthday that is not a day of the calendar',
      (c: Record<string, unknown>[]) => {
        c[1] = { ...c[1], birthday: '2023-02-30' };
      },
      '/contacts/1/birthday',
      '2023-02-30',
    ],
    [
      'a phone number that cannot be read',
      (c: Record<string, unknown>[]) => {
        c[1] = { ...c[1], phones: { mobile: 'bitte anrufen' } };
      },
      '/contacts/1/phones/mobile',
      'is not a phone number',
    ],
    [
      'a contact without a last name',
      (c: Record<string, unknown>[]) => {
        const { lastName: _lastName, ...rest } = c[1] as Record<string, unknown>;
        c[1] = rest;
      },
      '/contacts/1/lastName',
      'is missing',
    ],
  ] as const) {
    it(`refuses ${what} with the file and the JSON pointer, and loads nothing of it`, async () => {
      const broken = contacts.map((contact) => ({ ...contact })) as Record<string, unknown>[];
      change(broken);
      const dbFile = join(dir, 'crm.db');
      const file = write('daten.json', { partners, contacts: broken });
      const error = await startFailure({ dbFile, dataFile: file });
      expect(error?.code).to.equal('CRMSYNC_ERR_CRM_DATA_INVALID');
      expect(error?.location).to.deep.equal({ file, pointer });
      expect(error?.message).to.contain(words).and.to.contain(file).and.to.contain(pointer);
      expect(existsSync(dbFile), 'a database file was created').to.equal(false);
    });
  }

  it('refuses a document without its partners list, naming the pointer', async () => {
    const error = await startFailure({ dataFile: write('daten.json', { contacts: [] }) });
    expect(error?.location.pointer).to.equal('/partners');
  });

  it('names a data file that is not there', async () => {
    const file = join(dir, 'fehlt.json');
    const error = await startFailure({ dataFile: file });
    expect(error?.code).to.equal('CRMSYNC_ERR_CRM_DATA_INVALID');
    expect(error?.location.file).to.equal(file);
  });

  it('keeps a database that holds data already and says the file was not loaded', async () => {
    const dbFile = join(dir, 'crm.db');
    crm = await startCrmServer({ port: 0, dbFile, seed: { partners: 2, contacts: 5 } });
    await crm.close();
    crm = await startCrmServer({ port: 0, dbFile, dataFile: write('daten.json', { partners, contacts }) });
    expect(crm.startedFrom).to.equal('database');
    expect(crm.store.countContacts()).to.equal(5);
  });

  it('starts the CRM embedded in crmsync from the file, says when its database keeps it from loading, and stops on a bad one', async () => {
    const configDir = join(dir, 'config');
    const dataDir = join(dir, 'data');
    mkdirSync(configDir);
    writeFileSync(
      join(configDir, 'crmsync.json'),
      JSON.stringify({ host: { port: 0 }, dataDir, embedded: { referenceCrm: { enabled: true, port: 0 } } }),
    );
    const good = write('daten.json', { partners, contacts });
    const runtime = await createRuntime({
      configDir,
      env: { ...process.env, CRM_DATA: good },
      logger: false,
    });
    try {
      expect(runtime.referenceCrm?.startedFrom).to.equal('data-file');
      expect(runtime.referenceCrm?.store.countContacts()).to.equal(2);
    } finally {
      await runtime.dispose();
    }
    const again = await createRuntime({ configDir, env: { ...process.env, CRM_DATA: good }, logger: false });
    try {
      expect(again.referenceCrm?.startedFrom).to.equal('database');
      expect(again.startupProblems.join('\n')).to.contain(`CRM_DATA (${good}) is not loaded`);
    } finally {
      await again.dispose();
    }
    rmSync(dataDir, { recursive: true, force: true });
    const bad = write('schlecht.json', { partners, contacts: [{ ...contacts[1], partnerId: 'GP-0' }] });
    const error = await createRuntime({
      configDir,
      env: { ...process.env, CRM_DATA: bad },
      logger: false,
    }).then(
      async (started) => {
        await started.dispose();
        return undefined;
      },
      (e: CrmsyncError) => e,
    );
    expect(error?.code).to.equal('CRMSYNC_ERR_CRM_DATA_INVALID');
    expect(error?.location).to.deep.equal({ file: bad, pointer: '/contacts/0/partnerId' });
  });

  it('npm run crm says where its data came from, and stops with the file and pointer of a bad one', async () => {
    const run = async (dataFile: string) => {
      const child = spawn(process.execPath, [join(repoRoot, 'dist', 'emulators', 'crm', 'cli.js')], {
        env: { ...process.env, CRM_PORT: '0', CRM_API_KEY: '', CRM_DATA: dataFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (output.includes('OpenAPI')) child.kill('SIGTERM');
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      const [code] = await once(child, 'exit');
      return { code, output };
    };
    const good = await run(write('daten.json', { partners, contacts }));
    expect(good.output).to.contain(`2 business partners, 2 contact persons, from ${join(dir, 'daten.json')}`);
    const bad = write('schlecht.json', { partners: [{ id: 'GP-1' }], contacts: [] });
    const refused = await run(bad);
    expect(refused.code).to.equal(2);
    expect(refused.output)
      .to.contain('CRMSYNC_ERR_CRM_DATA_INVALID')
      .and.to.contain(`${bad}, at /partners/0/name`);
  });
});
