import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { buildProgram } from '../../host/cli/program.js';
import { send } from '../host/support/send.js';
import { type HostProcess, startHostProcess } from '../support/host-process.js';
import { repoRoot } from '../support/paths.js';
import { type CliResult, runCli, scratchFolder } from './support/cli-world.js';
import { onTerminal } from './support/terminal.js';

const annaPassword = 'anna-correct-horse-battery';
const cliPath = join(repoRoot, 'dist', 'host', 'cli', 'crmsync.js');
const benPassword = 'ben-correct-horse-battery';

describe('crmsync users and crmsync tokens', function () {
  this.timeout(120_000);
  const scratch = scratchFolder();
  const configDir = join(scratch.path, 'config');
  const env = { CRMSYNC_CONFIG: configDir };
  /** Runs the real command in a child process; `input` is its standard input. */
  const crmsync = (args: string[], input = ''): Promise<CliResult> => runCli(args, env, undefined, input);
  const json = (result: CliResult) => JSON.parse(result.stdout);

  before(() => {
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      join(configDir, 'crmsync.json'),
      JSON.stringify({
        host: { port: 0 },
        dataDir: '../data',
        embedded: { referenceCrm: { enabled: false } },
      }),
    );
  });
  after(() => scratch.cleanUp());

  it('creates the first administrator with the password from standard input, never a user before one', async () => {
    const none = await crmsync(['users', 'list']);
    expect(none.code).to.equal(5);
    expect(none.stdout).to.contain(
      'No users yet: create the first administrator with crmsync users create --admin',
    );
    const user = await crmsync(['users', 'create', 'ben'], `${benPassword}\n`);
    expect(user.code).to.equal(2);
    expect(user.stderr).to.contain('CRMSYNC_ERR_ADMIN_REQUIRED: the first user must be an administrator');

    const created = await crmsync(
      ['users', 'create', '--admin', 'Anna', '--account', 'anna@firma.de', '--password-stdin', '--json'],
      `${annaPassword}\n`,
    );
    expect(created.code, created.stderr).to.equal(0);
    expect(json(created).user).to.include({ login: 'anna', role: 'admin', account: 'anna@firma.de' });
    const listed = await crmsync(['users', 'list', '--json']);
    expect(listed.code).to.equal(0);
    expect(
      json(listed).users.map((each: { login: string; role: string }) => [each.login, each.role]),
    ).to.deep.equal([['anna', 'admin']]);
    expect(listed.stdout, 'the hash stays in the store').not.to.contain('scrypt');
  });

  it('asks for a password on a terminal without showing it, twice, and refuses two that differ', async () => {
    const command = [process.execPath, cliPath, 'users', 'create', 'dora'];
    const typed = 'dora-typed-at-a-terminal';
    const differ = await onTerminal(
      command,
      [
        ['Password for dora', typed],
        ['Repeat it', `${typed}x`],
      ],
      env,
    );
    expect(differ.code).to.equal(2);
    expect(differ.shown).to.contain('the two passwords typed differ');
    const created = await onTerminal(
      command,
      [
        ['Password for dora', typed],
        ['Repeat it', typed],
      ],
      env,
    );
    expect(created.code, created.shown).to.equal(0);
    expect(created.shown).to.contain('Created dora  user');
    expect(created.shown, 'the terminal never echoed it').not.to.contain(typed);
    expect((await crmsync(['users', 'delete', 'dora'])).code).to.equal(0);
  });

  it('never takes a password as a flag, and refuses a short one, an empty one and a login that is taken', async () => {
    const flag = await crmsync(['users', 'create', 'ben', '--password', benPassword]);
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.contain("unknown option '--password'");
    const short = await crmsync(['users', 'create', 'ben'], 'short\n');
    expect(short.code).to.equal(2);
    expect(short.stderr).to.contain('a password has at least 12 characters');
    const empty = await crmsync(['users', 'create', 'ben'], '');
    expect(empty.code).to.equal(2);
    expect(empty.stderr).to.contain('no password on standard input');
    const taken = await crmsync(['users', 'create', 'ANNA'], `${annaPassword}\n`);
    expect(taken.code).to.equal(2);
    expect(taken.stderr).to.contain('CRMSYNC_ERR_USER_EXISTS');
    expect(json(await crmsync(['users', 'list', '--json'])).users).to.have.length(1);
  });

  it('changes roles, accounts and passwords, keeps the last administrator, and deletes users', async () => {
    expect((await crmsync(['users', 'create', 'ben'], `${benPassword}\n`)).code).to.equal(0);
    expect((await crmsync(['users', 'set-role', 'ben', 'admin'])).code).to.equal(0);
    expect((await crmsync(['users', 'set-role', 'anna', 'user'])).code).to.equal(0);
    const last = await crmsync(['users', 'set-role', 'ben', 'user']);
    expect(last.code).to.equal(2);
    expect(last.stderr).to.contain('ben is the last administrator and cannot be demoted');
    expect((await crmsync(['users', 'set-role', 'ben', 'boss'])).code, 'no such role').to.equal(2);
    expect((await crmsync(['users', 'delete', 'ben'])).code).to.equal(2);
    expect((await crmsync(['users', 'set-role', 'anna', 'admin'])).code).to.equal(0);

    const bound = await crmsync(['users', 'set-account', 'ben', 'ben@firma.de', '--json']);
    expect(json(bound).user).to.include({ account: 'ben@firma.de' });
    const reset = await crmsync(
      ['users', 'reset-password', 'ben', '--password-stdin'],
      'a-new-password-for-ben\n',
    );
    expect(reset.code, reset.stderr).to.equal(0);
    expect(reset.stdout).to.contain('their sessions have ended');
    expect((await crmsync(['users', 'delete', 'nobody'])).code).to.equal(2);
    expect((await crmsync(['users', 'create', 'carla'], `${benPassword}\n`)).code).to.equal(0);
    expect((await crmsync(['users', 'delete', 'carla'])).code).to.equal(0);
    const logins = json(await crmsync(['users', 'list', '--json'])).users.map(
      (each: { login: string }) => each.login,
    );
    expect(logins).to.deep.equal(['anna', 'ben']);
  });

  describe('with a host serving the same store', () => {
    let host: HostProcess;
    before(async () => {
      host = await startHostProcess(env);
    });
    after(async () => {
      await host?.stop();
    });

    it('creates a token shown once, which the host takes until it is revoked', async () => {
      expect(
        (await send(`${host.url}/api/v1/sync-runs`)).status,
        'sign-in required: there are users',
      ).to.equal(401);
      const created = await crmsync(['tokens', 'create', '--user', 'ben', '--name', 'reporting']);
      expect(created.code, created.stderr).to.equal(0);
      expect(created.stdout).to.contain('it is shown this once');
      const token = /^(crmsync_\S+)$/m.exec(created.stdout)![1]!;
      const asBen = { headers: { authorization: `Bearer ${token}` } };
      const session = await send(`${host.url}/api/v1/session`, asBen);
      expect(session.status, session.text).to.equal(200);
      expect(session.json().user).to.include({ login: 'ben', role: 'admin', account: 'ben@firma.de' });

      const listed = await crmsync(['tokens', 'list', '--json']);
      expect(listed.stdout).not.to.contain(token);
      const [entry] = json(listed).tokens;
      expect(entry).to.include({ name: 'reporting', login: 'ben', state: 'active' });
      expect(entry.lastUsedAt, 'the host noted its use in the shared store').to.be.a('number');

      const revoked = await crmsync(['tokens', 'revoke', entry.id]);
      expect(revoked.code).to.equal(0);
      const refused = await send(`${host.url}/api/v1/session`, asBen);
      expect(refused.status).to.equal(401);
      expect(refused.json().message).to.contain('revoked');
      expect((await crmsync(['tokens', 'revoke', 'no-such-token'])).code).to.equal(2);
      expect(json(await crmsync(['tokens', 'list', '--user', 'ben', '--json'])).tokens[0]).to.include({
        state: 'revoked',
      });
    });

    it('gives a token an expiry in days, and refuses one that is not a number', async () => {
      const created = await crmsync([
        'tokens',
        'create',
        '--user',
        'anna',
        '--name',
        'ci',
        '--expires-in',
        '30',
        '--json',
      ]);
      const { token } = json(created);
      expect(token.expiresAt - Date.now()).to.be.within(29.9 * 86_400_000, 30 * 86_400_000);
      expect(
        (await crmsync(['tokens', 'create', '--user', 'anna', '--name', 'ci', '--expires-in', 'soon'])).code,
      ).to.equal(2);
      expect((await crmsync(['tokens', 'create', '--user', 'nobody', '--name', 'ci'])).code).to.equal(2);
    });
  });

  it('explains every users and tokens command with examples', () => {
    const program = buildProgram(() => undefined);
    const groups = ['users', 'tokens'].map(
      (name) => program.commands.find((command) => command.name() === name)!,
    );
    const commands = groups.flatMap((group) => [group, ...group.commands]);
    expect(commands.map((command) => command.name())).to.include.members([
      'create',
      'list',
      'set-role',
      'reset-password',
      'delete',
      'revoke',
    ]);
    for (const command of commands) {
      let help = '';
      command.configureOutput({
        writeOut: (text) => {
          help += text;
        },
      });
      command.outputHelp();
      expect(help, command.name()).to.match(/Examples:\n {2}\$ crmsync (users|tokens)/);
    }
  });
});
