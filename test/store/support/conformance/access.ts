import { expect } from 'chai';
import type { User } from '../../../../core/index.js';
import { rejection, type StoreUnderTest, sleep } from './store-under-test.js';

const anna = { id: 'u-anna', login: 'anna', role: 'admin', passwordHash: '$scrypt$anna' } as const;
const ben = {
  id: 'u-ben',
  login: 'ben',
  role: 'user',
  passwordHash: '$scrypt$ben',
  account: 'ben@firma.de',
} as const;

export function describeAccess(t: StoreUnderTest): void {
  describe('users', () => {
    it('keeps users across a restart, found by id or login and listed by login', async () => {
      await t.store.users.create(ben);
      const created = await t.store.users.create(anna);
      expect(created.createdAt).to.be.a('number');
      await t.restart();
      expect(await t.store.users.get('u-anna')).to.deep.equal(created);
      expect(await t.store.users.byLogin('ben')).to.include({ id: 'u-ben', account: 'ben@firma.de' });
      expect((await t.store.users.list()).map((user) => user.login)).to.deep.equal(['anna', 'ben']);
      expect(await t.store.users.count()).to.equal(2);
      expect(await t.store.users.count({ role: 'admin' })).to.equal(1);
      expect(await t.store.users.get('u-nobody')).to.equal(undefined);
    });

    it('refuses a second user with a login that is taken', async () => {
      await t.store.users.create(anna);
      const error = await rejection(t.store.users.create({ ...anna, id: 'u-other' }));
      expect(error.code).to.equal('CRMSYNC_ERR_USER_EXISTS');
      expect(await t.store.users.count()).to.equal(1);
    });

    it('changes the role, password hash and account, and unbinds an account with null', async () => {
      await t.store.users.create(ben);
      const promoted = await t.store.users.update('u-ben', { role: 'admin', passwordHash: '$scrypt$new' });
      expect(promoted).to.include({ role: 'admin', passwordHash: '$scrypt$new', account: 'ben@firma.de' });
      const unbound = await t.store.users.update('u-ben', { account: null });
      expect(unbound).not.to.have.property('account');
      expect(unbound.updatedAt).to.be.at.least(promoted.updatedAt);
      expect((await rejection(t.store.users.update('u-nobody', { role: 'user' }))).code).to.equal(
        'CRMSYNC_ERR_NOT_FOUND',
      );
    });

    it("removes a user with their sessions and tokens, and leaves everyone else's", async () => {
      await t.store.users.create(anna);
      await t.store.users.create(ben);
      for (const user of [anna, ben]) {
        await t.store.sessions.create({
          idHash: `s-${user.id}`,
          userId: user.id,
          csrfToken: 'c',
          expiresAt: Date.now() + 60_000,
        });
        await t.store.tokens.create({
          id: `t-${user.id}`,
          tokenHash: `h-${user.id}`,
          name: 'n',
          userId: user.id,
        });
      }
      expect(await t.store.users.remove('u-ben')).to.equal(true);
      expect(await t.store.users.remove('u-ben')).to.equal(false);
      expect(await t.store.sessions.get('s-u-ben')).to.equal(undefined);
      expect(await t.store.tokens.get('t-u-ben')).to.equal(undefined);
      expect(await t.store.sessions.get('s-u-anna')).to.not.equal(undefined);
      expect(await t.store.tokens.get('t-u-anna')).to.not.equal(undefined);
    });

    it('never lets two changes at once each demote "the other" of the last two administrators', async () => {
      await t.store.users.create(anna);
      await t.store.users.create({ ...ben, role: 'admin' });
      const demoteUnlessLast = (user: User['id']) =>
        t.store.transaction(async (scope) => {
          const admins = await scope.users.admins();
          await sleep(100);
          if (admins.length < 2) return false;
          await scope.users.update(user, { role: 'user' });
          return true;
        });
      const demoted = await Promise.all([demoteUnlessLast('u-anna'), demoteUnlessLast('u-ben')]);
      expect(demoted.filter(Boolean)).to.have.length(1);
      expect(await t.store.users.admins()).to.have.length(1);
    });
  });

  describe('API tokens', () => {
    beforeEach(async () => {
      await t.store.users.create(anna);
      await t.store.users.create(ben);
    });

    it('finds a token by its hash, lists tokens newest first, and keeps them across a restart', async () => {
      const first = await t.store.tokens.create({
        id: 't1',
        tokenHash: 'h1',
        name: 'backup script',
        userId: 'u-anna',
      });
      await sleep(3);
      await t.store.tokens.create({
        id: 't2',
        tokenHash: 'h2',
        name: 'reporting',
        userId: 'u-ben',
        expiresAt: 1_900_000_000_000,
      });
      await t.restart();
      expect(await t.store.tokens.byHash('h1')).to.deep.equal(first);
      expect(await t.store.tokens.byHash('h3')).to.equal(undefined);
      expect((await t.store.tokens.list()).map((token) => token.id)).to.deep.equal(['t2', 't1']);
      expect(await t.store.tokens.list({ userId: 'u-ben' })).to.deep.equal([
        {
          id: 't2',
          tokenHash: 'h2',
          name: 'reporting',
          userId: 'u-ben',
          expiresAt: 1_900_000_000_000,
          createdAt: (await t.store.tokens.get('t2'))!.createdAt,
        },
      ]);
    });

    it('keeps the first time a token was revoked, and notes when it was last used', async () => {
      await t.store.tokens.create({ id: 't1', tokenHash: 'h1', name: 'n', userId: 'u-anna' });
      expect(await t.store.tokens.get('t1')).not.to.have.property('lastUsedAt');
      await t.store.tokens.touch('t1');
      expect((await t.store.tokens.get('t1'))!.lastUsedAt).to.be.a('number');
      const revoked = await t.store.tokens.revoke('t1');
      await sleep(3);
      expect((await t.store.tokens.revoke('t1')).revokedAt).to.equal(revoked.revokedAt);
      expect((await rejection(t.store.tokens.revoke('t-nobody'))).code).to.equal('CRMSYNC_ERR_NOT_FOUND');
    });
  });

  describe('sessions', () => {
    beforeEach(async () => {
      await t.store.users.create(anna);
      await t.store.users.create(ben);
    });

    it('keeps a session across a restart and notes activity on it', async () => {
      const created = await t.store.sessions.create({
        idHash: 's1',
        userId: 'u-anna',
        csrfToken: 'csrf-1',
        expiresAt: Date.now() + 60_000,
      });
      expect(created.lastSeenAt).to.equal(created.createdAt);
      await t.restart();
      expect(await t.store.sessions.get('s1')).to.deep.equal(created);
      await sleep(3);
      await t.store.sessions.touch('s1');
      expect((await t.store.sessions.get('s1'))!.lastSeenAt).to.be.greaterThan(created.lastSeenAt);
      await t.store.sessions.remove('s1');
      expect(await t.store.sessions.get('s1')).to.equal(undefined);
    });

    it('signs a user out everywhere, and no one else', async () => {
      const later = Date.now() + 60_000;
      for (const idHash of ['a1', 'a2'])
        await t.store.sessions.create({ idHash, userId: 'u-anna', csrfToken: 'c', expiresAt: later });
      await t.store.sessions.create({ idHash: 'b1', userId: 'u-ben', csrfToken: 'c', expiresAt: later });
      expect(await t.store.sessions.removeForUser('u-anna')).to.equal(2);
      expect(await t.store.sessions.get('a1')).to.equal(undefined);
      expect(await t.store.sessions.get('b1')).to.not.equal(undefined);
    });

    it('clears out sessions past their end or idle for too long', async () => {
      const now = Date.now();
      await t.store.sessions.create({
        idHash: 'ended',
        userId: 'u-anna',
        csrfToken: 'c',
        expiresAt: now - 1,
      });
      await t.store.sessions.create({
        idHash: 'idle',
        userId: 'u-anna',
        csrfToken: 'c',
        expiresAt: now + 60_000,
      });
      await sleep(20);
      await t.store.sessions.create({
        idHash: 'active',
        userId: 'u-ben',
        csrfToken: 'c',
        expiresAt: now + 60_000,
      });
      expect(await t.store.sessions.removeExpired(Date.now() - 10)).to.equal(2);
      expect(await t.store.sessions.get('active')).to.not.equal(undefined);
      expect(await t.store.sessions.get('idle')).to.equal(undefined);
    });
  });

  describe('plan owners', () => {
    it("keeps a plan's owner across a restart and lists one owner's plans", async () => {
      const base = { kind: 'import', accountId: 'x', status: 'draft', options: {}, summary: {} } as const;
      const owned = await t.store.plans.create({ ...base, id: 'p-anna', ownerId: 'u-anna' });
      await t.store.plans.create({ ...base, id: 'p-ben', ownerId: 'u-ben' });
      await t.store.plans.create({ ...base, id: 'p-nobody' });
      await t.store.plans.update('p-anna', { status: 'committing' });
      await t.restart();
      expect(await t.store.plans.get('p-anna')).to.include({
        ownerId: 'u-anna',
        status: 'committing',
        createdAt: owned.createdAt,
      });
      expect(await t.store.plans.get('p-nobody')).not.to.have.property('ownerId');
      expect((await t.store.plans.list({ ownerId: 'u-anna' })).map((plan) => plan.id)).to.deep.equal([
        'p-anna',
      ]);
      expect(await t.store.plans.list({ ownerId: 'u-carla' })).to.deep.equal([]);
    });
  });
}
