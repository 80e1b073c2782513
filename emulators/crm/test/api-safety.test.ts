import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { repoRoot } from '../../../test/support/paths.js';
import { encodeChangeCursor } from '../api/cursor.js';
import { type CrmServer, startCrmServer } from '../index.js';
import { call, type Json } from './support/call.js';

const newContact = (extra: Record<string, unknown> = {}) => ({
  partnerId: 'GP-0001',
  salutationCode: 'F',
  firstName: 'Renate',
  lastName: 'Müller',
  emails: [],
  phones: {},
  groupwareSync: true,
  ...extra,
});

describe('reference CRM: access, identity and concurrency', () => {
  let crm: CrmServer;
  before(async () => {
    crm = await startCrmServer({ port: 0, seed: { partners: 3, contacts: 20 } });
  });
  after(async () => crm.close());

  it('asks for a key however the path is spelled, percent-encoded letters included', async () => {
    const before = crm.store.countContacts();
    for (const path of ['/%61pi/v1/contacts', '/api/v1/%63ontacts', '/API/v1/contacts']) {
      const read = await call(crm, 'GET', path, { key: null });
      expect(read.status, path).to.be.oneOf([401, 404]);
      if (read.status === 404) continue;
      const write = await call(crm, 'POST', path, { key: null, body: newContact() });
      expect(write.status, path).to.equal(401);
    }
    expect((await call(crm, 'GET', '/%61pi/v1/contacts', { key: null })).status).to.equal(401);
    expect(crm.store.countContacts()).to.equal(before);
    expect((await call(crm, 'GET', '/api/v1/health', { key: null })).status).to.equal(200);
  });

  it('never gives a deleted contact id to a new contact, and keeps the deletion in the change feed', async () => {
    const start = (await call(crm, 'GET', '/api/v1/contacts/changes?limit=5000')).json.nextCursor;
    const first = (await call(crm, 'POST', '/api/v1/contacts', { body: newContact() })).json;
    const deleted = await call(crm, 'DELETE', `/api/v1/contacts/${first.id}`, {
      headers: { 'if-match': '"1"' },
    });
    expect(deleted.status).to.equal(204);
    const second = (await call(crm, 'POST', '/api/v1/contacts', { body: newContact() })).json;
    expect(second.id).to.not.equal(first.id);
    const stale = await call(crm, 'PUT', `/api/v1/contacts/${first.id}`, {
      body: newContact({ notes: 'for the deleted one' }),
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).to.equal(404);
    const changes = (await call(crm, 'GET', `/api/v1/contacts/changes?since=${start}`)).json.changes;
    expect(changes.map((change: Json) => [change.type, change.id])).to.deep.equal([
      ['delete', first.id],
      ['upsert', second.id],
    ]);
  });

  it('refuses a contact deletion without If-Match and one based on a stale version', async () => {
    const created = (await call(crm, 'POST', '/api/v1/contacts', { body: newContact() })).json;
    const without = await call(crm, 'DELETE', `/api/v1/contacts/${created.id}`);
    expect(without.status).to.equal(428);
    expect(without.json.field).to.equal('If-Match');
    const stale = await call(crm, 'DELETE', `/api/v1/contacts/${created.id}`, {
      headers: { 'if-match': '"7"' },
    });
    expect(stale.status).to.equal(412);
    expect(crm.store.getContact(created.id)).to.not.equal(undefined);
  });

  it('honours If-Match on photo writes and keeps the version when removing a photo that is not there', async () => {
    const created = (await call(crm, 'POST', '/api/v1/contacts', { body: newContact() })).json;
    const png = Buffer.from(crm.store.getPhoto('AP-000001')!.bytes);
    const photo = (headers: Record<string, string>) =>
      call(crm, 'PUT', `/api/v1/contacts/${created.id}/photo`, {
        body: png,
        headers: { 'content-type': 'image/png', ...headers },
      });
    const removed = await call(crm, 'DELETE', `/api/v1/contacts/${created.id}/photo`, {
      headers: { 'if-match': '"1"' },
    });
    expect(removed.status).to.equal(204);
    expect(crm.store.getContact(created.id)!.version).to.equal(1);
    expect((await photo({ 'if-match': '"1"' })).json.version).to.equal(2);
    expect((await photo({ 'if-match': '"1"' })).status).to.equal(412);
    const staleRemoval = await call(crm, 'DELETE', `/api/v1/contacts/${created.id}/photo`, {
      headers: { 'if-match': '"1"' },
    });
    expect(staleRemoval.status).to.equal(412);
    expect(crm.store.getPhoto(created.id)).to.not.equal(undefined);
  });

  it('answers 410 naming "since" for a change cursor that is ahead of its newest change', async () => {
    const ahead = encodeChangeCursor(crm.store.epoch, crm.store.latestChangeSeq() + 10);
    const answer = await call(crm, 'GET', `/api/v1/contacts/changes?since=${ahead}`);
    expect(answer.status).to.equal(410);
    expect(answer.json.field).to.equal('since');
  });

  it('labels errors by their status and names the body or the content type', async () => {
    const broken = await call(crm, 'POST', '/api/v1/contacts', { raw: '{"lastName": ' });
    expect(broken.status).to.equal(400);
    expect(broken.json).to.include({ error: 'bad_request', field: 'body' });
    const wrongType = await call(crm, 'POST', '/api/v1/contacts', {
      raw: 'lastName=Müller',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).to.equal(415);
    expect(wrongType.json).to.include({ error: 'unsupported_media_type', field: 'Content-Type' });
  });

  it('finds Müller when searched as Muller, Mueller or Müller', async () => {
    const created = (
      await call(crm, 'POST', '/api/v1/contacts', { body: newContact({ lastName: 'Hüttenmüller' }) })
    ).json;
    for (const name of ['Huttenmuller', 'huettenmueller', 'Hüttenmüller', 'tenmul']) {
      const found = (await call(crm, 'GET', `/api/v1/contacts?name=${encodeURIComponent(name)}`)).json.items;
      expect(
        found.map((item: Json) => item.id),
        name,
      ).to.include(created.id);
    }
  });
});

describe('reference CRM change cursors across restarts', () => {
  it('accepts a cursor after a restart on the same database and answers 410 for one from another database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-cursor-'));
    try {
      const dbFile = join(dir, 'crm.sqlite');
      let crm = await startCrmServer({ port: 0, dbFile, seed: { partners: 2, contacts: 5 } });
      const cursor = (await call(crm, 'GET', '/api/v1/contacts/changes')).json.nextCursor;
      await crm.close();
      crm = await startCrmServer({ port: 0, dbFile });
      expect((await call(crm, 'GET', `/api/v1/contacts/changes?since=${cursor}`)).status).to.equal(200);
      await crm.close();
      crm = await startCrmServer({ port: 0, seed: { partners: 2, contacts: 5 } });
      const gone = await call(crm, 'GET', `/api/v1/contacts/changes?since=${cursor}`);
      await crm.close();
      expect(gone.status).to.equal(410);
      expect(gone.json.field).to.equal('since');
      expect(gone.json.message).to.contain('from the start');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run crm with a bad setting', () => {
  it('stops with a message naming CRM_CONTACTS when it is not a number', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'emulators', 'crm', 'cli.js')], {
      env: { ...process.env, CRM_PORT: '0', CRM_CONTACTS: 'viele' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('CRM_CONTACTS must be a whole number');
  });
});
