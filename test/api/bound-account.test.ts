import { expect } from 'chai';
import type { GroupwareSide } from '../engine/support/groupware/groupware-side.js';
import { ApiClient, passwordOf as password, signedInClient } from './support/api-client.js';
import { ApiWorld } from './support/api-world.js';

describe('Users bound to their own Outlook mailbox, on a host with two', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let anna: ApiClient;
  let ben: ApiClient;
  let carla: ApiClient;
  let annaBox: GroupwareSide;
  let benBox: GroupwareSide;
  let annaId: string;
  let benId: string;
  let kim: string;

  const signedIn = (login: string) => signedInClient(api.host.url, login);
  const copiesIn = (side: GroupwareSide) => side.ids().map((id) => side.crmIdOf(id));

  before(async () => {
    api = await ApiWorld.open('outlook', { accounts: 2 });
    annaBox = api.world.side;
    benBox = api.world.side.others[0]!;
    api.world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH' });
    kim = api.world.addCrmContact({
      partnerId: 'GP-0001',
      firstName: 'Kim',
      lastName: 'Lange',
      groupwareSync: false,
    }).id;
    const first = await new ApiClient(api.host.url).call('POST', '/users', {
      login: 'anna',
      password: password('anna'),
      role: 'admin',
    });
    expect(first.status, first.text).to.equal(201);
    anna = await signedIn('anna');
    const accounts = (await anna.get('/groupware/accounts')).json().accounts as { id: string }[];
    [annaId, benId] = accounts.map((account) => account.id) as [string, string];
    // Bound by the mailbox alone, as an administrator writes it; the folder is the host's.
    for (const [login, account] of [
      ['ben', 'Ben@Contoso.example'],
      ['carla', 'carla@contoso.example'],
    ] as const) {
      const user = await anna.call('POST', '/users', { login, password: password(login), account });
      expect(user.status, user.text).to.equal(201);
    }
    ben = await signedIn('ben');
    carla = await signedIn('carla');
  });
  after(async () => api?.close());

  it('makes a user’s plans and sync runs for their mailbox when they name none, and refuses another one', async () => {
    const made = await ben.call('POST', '/export-plans', { criteria: { partnerId: 'GP-0001' } });
    expect(made.status, made.text).to.equal(201);
    expect(made.json().plan.accountId).to.equal(benId);
    const elsewhere = await ben.call('POST', '/export-plans', { criteria: {}, account: annaId });
    expect(elsewhere.status, elsewhere.text).to.equal(403);
    expect(elsewhere.json()).to.include({ code: 'CRMSYNC_ERR_FORBIDDEN' });
    expect(elsewhere.json().location).to.deep.equal({ field: 'account' });
    expect((await ben.call('POST', '/import-plans', { account: annaId })).status).to.equal(403);

    const run = await ben.call('POST', '/sync-runs', { dryRun: true });
    expect(run.status, run.text).to.equal(201);
    expect(run.json().plan.accountId).to.equal(benId);
    const listed = (await ben.get('/sync-runs')).json().runs as { accountId: string }[];
    expect(listed.map((each) => each.accountId)).to.deep.equal([benId]);
  });

  it('adds a contact to the user’s own mailbox with the toggle, never to the default one', async () => {
    const added = await ben.call('PUT', `/crm/contacts/${kim}/sync`);
    expect(added.status, added.text).to.equal(200);
    expect(added.json()).to.include({ synchronised: true, accountId: benId });
    expect(copiesIn(benBox)).to.deep.equal([kim]);
    expect(copiesIn(annaBox)).to.deep.equal([]);
    const other = await ben.get(`/crm/contacts/${kim}/sync?account=${encodeURIComponent(annaId)}`);
    expect(other.status).to.equal(403);
  });

  it('refuses the work of a user whose mailbox is none of the host’s, naming the accounts there are', async () => {
    const refused = await carla.call('POST', '/export-plans', { criteria: {} });
    expect(refused.status, refused.text).to.equal(404);
    expect(refused.json().code).to.equal('CRMSYNC_ERR_ACCOUNT_UNKNOWN');
    expect(refused.json().message).to.include('carla@contoso.example').and.include(benId);
  });

  it('lets an administrator work with any account, the default where none is named', async () => {
    const made = await anna.call('POST', '/export-plans', { criteria: {} });
    expect(made.json().plan.accountId).to.equal(annaId);
    const named = await anna.call('POST', '/export-plans', { criteria: {}, account: benId });
    expect(named.json().plan.accountId).to.equal(benId);
  });
});
