import { Argument, Command, type CommanderError, Option } from 'commander';
import { kernelVersion } from '../../core/kernel/version.js';
import { runAccounts } from './commands/accounts.js';
import { runConfigCheck } from './commands/config-check.js';
import { type ExportOptions, runExport } from './commands/export.js';
import { type ImportOptions, runImport } from './commands/import.js';
import { runPlugins } from './commands/plugins.js';
import { type RunsOptions, runRuns } from './commands/runs.js';
import { serve } from './commands/serve.js';
import { runSync, type SyncOptions } from './commands/sync.js';
import { runTokenCreate, runTokenList, runTokenRevoke, type TokenCreateOptions } from './commands/tokens.js';
import { runUndo } from './commands/undo.js';
import {
  runUserCreate,
  runUserDelete,
  runUserList,
  runUserResetPassword,
  runUserSetAccount,
  runUserSetRole,
  type UserCreateOptions,
} from './commands/users.js';
import { runWorker } from './commands/worker.js';
import { ExitCode, exitCodeHelp } from './exit-codes.js';
import { Output } from './output.js';
import type { PasswordSource } from './password-input.js';
import type { SessionOptions } from './session.js';

interface GlobalOptions extends SessionOptions {
  json?: boolean;
}

const accountHelp = 'groupware account id, as crmsync accounts lists it (default: the first configured)';

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

/**
 * The `crmsync` command line. Each action resolves with the exit code; `onExit` receives it,
 * so the caller decides whether the process ends (a test may keep running).
 */
export function buildProgram(onExit: (code: number) => void): Command {
  const program = new Command('crmsync')
    .description(
      "Keeps a CRM's contact persons and the groupware's contacts in step; vCard files for the offline exchange.",
    )
    .option('--config <dir>', 'configuration folder (default: $CRMSYNC_CONFIG, else the checkout config/)')
    .option('--json', 'print one JSON document instead of lines')
    .option('--verbose', 'log at info level to standard error')
    .version(kernelVersion, '-V, --version', 'print the version of crmsync')
    .showHelpAfterError()
    // Usage errors are thrown rather than exiting, so they get the bad-input exit code.
    .exitOverride()
    .addHelpText(
      'after',
      `\n${exitCodeHelp}\n${examples('crmsync config check', 'crmsync export --query city=Köln --to vcard:koeln.vcf', 'crmsync import --from vcard:koeln.vcf --dry-run --json', 'crmsync sync --once', 'crmsync users create --admin anna')}`,
    );

  // Commander calls an action with the arguments, the options and the command; the command's
  // options merged with the global ones are what every command reads.
  const run =
    <T>(work: (out: Output, options: T & GlobalOptions, args: string[]) => Promise<number>) =>
    async (...received: unknown[]) => {
      const command = received[received.length - 1] as Command;
      const options = command.optsWithGlobals() as T & GlobalOptions;
      onExit(await work(new Output(options.json ?? false), options, command.args));
    };

  program
    .command('serve')
    .description('run the host: the HTTP API and the wizards (what npm start runs)')
    .option('--no-worker', 'serve the API only; crmsync worker processes run the jobs (PostgreSQL store)')
    .addHelpText(
      'after',
      examples(
        'crmsync serve',
        'PORT=8080 crmsync serve',
        'CRMSYNC_CONFIG=/etc/crmsync crmsync serve --no-worker',
      ),
    )
    .action((options: { worker: boolean }) => {
      const { config } = program.opts<GlobalOptions>();
      // Only an explicit --no-worker overrides the configuration's jobs.worker.
      return serve({
        distinguishConfigurationErrors: true,
        ...(options.worker ? {} : { worker: false }),
        ...(config ? { configDir: config } : {}),
      });
    });

  program
    .command('worker')
    .description('run jobs from the PostgreSQL queue: commits, sync runs and scheduled syncs')
    .option('--port <port>', 'also serve /health, /health/ready and /metrics on this port (0: any free one)')
    .addHelpText(
      'after',
      examples('crmsync worker', 'crmsync worker --port 9464', 'CRMSYNC_CONFIG=/etc/crmsync crmsync worker'),
    )
    .action((options: { port?: string }) => {
      const globals = program.opts<GlobalOptions>();
      return runWorker({ ...globals, ...options }, onExit);
    });

  program
    .command('plugins')
    .description('list the installed plugins, their state and what they contribute')
    .addHelpText('after', examples('crmsync plugins', 'crmsync plugins --json'))
    .action(run((out, options) => runPlugins(options, out)));

  program
    .command('config')
    .description('work with the configuration')
    .addHelpText('after', examples('crmsync config check'))
    .command('check')
    .description('check every configuration file; each problem is named with its file and JSON pointer')
    .addHelpText(
      'after',
      examples('crmsync config check', 'crmsync config check --config /etc/crmsync --json'),
    )
    .action(run((out, options) => runConfigCheck(options, out)));

  program
    .command('accounts')
    .description('list the groupware accounts (mailboxes, folders) --account takes, the default first')
    .addHelpText('after', examples('crmsync accounts', 'crmsync accounts --json'))
    .action(run((out, options) => runAccounts(options, out)));

  program
    .command('export')
    .description('export CRM contacts to the groupware or to vCard: shows the plan, then writes it')
    .option(
      '--query <field=value>',
      'CRM search criterion: name, partnerId, city, email, phone or groupwareSync (repeatable; none for all)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .requiredOption(
      '--to <target>',
      'groupware, or vcard:<path> (a file; a folder with --one-file-per-contact)',
    )
    .addOption(new Option('--format <version>', 'vCard version of a single file').choices(['3.0', '4.0']))
    .option('--one-file-per-contact', 'one .vcf per contact into the folder <path>, for Outlook (vCard 3.0)')
    .option('--account <id>', accountHelp)
    .option('--dry-run', 'show the plan only; nothing is written')
    .addHelpText(
      'after',
      examples(
        'crmsync export --query city=Köln --to groupware --dry-run',
        'crmsync export --query partnerId=P-0001 --to vcard:acme.vcf --format 4.0',
        'crmsync export --query name=Müller --to vcard:outlook/ --one-file-per-contact',
      ),
    )
    .action(run<ExportOptions>((out, options) => runExport(options, out)));

  program
    .command('import')
    .description('import contacts without CRM id: verdict, findings and partner for each, then the import')
    .requiredOption('--from <source>', 'groupware, or vcard:<file>')
    .option(
      '--partner <auto|id>',
      "auto: the resolvers' suggestion; an id: that business partner for all",
      'auto',
    )
    .option('--include-possible', 'import possible duplicates too (sure duplicates never are)')
    .option(
      '--from-other-crm',
      'the file comes from another CRM: its CRM ids are ignored, every card is judged as new',
    )
    .option('--account <id>', accountHelp)
    .option('--dry-run', 'show the verdicts and partners only; nothing is written')
    .addHelpText(
      'after',
      examples(
        'crmsync import --from vcard:contacts.vcf --dry-run',
        'crmsync import --from vcard:contacts.vcf --dry-run --json',
        'crmsync import --from vcard:other-office.vcf --from-other-crm',
        'crmsync import --from groupware --partner P-0007 --include-possible',
      ),
    )
    .action(run<ImportOptions>((out, options) => runImport(options, out)));

  program
    .command('sync')
    .description('sync the CRM with a groupware account (the default one unless --account names another)')
    .option('--once', 'one run, then exit (the default)')
    .option('--watch', 'a run every --interval seconds until stopped with Ctrl-C')
    .option('--interval <seconds>', 'seconds between runs with --watch', '300')
    .option('--dry-run', 'show what a run would do; nothing is written')
    .option('--account <id>', accountHelp)
    .addHelpText(
      'after',
      examples(
        'crmsync sync --once',
        'crmsync sync --dry-run --json',
        'crmsync sync --watch --interval 60',
        'crmsync sync --account outlook-graph:ben@contoso.example/CRM',
      ),
    )
    .action(run<SyncOptions>((out, options) => runSync(options, out)));

  program
    .command('runs')
    .description('list the latest exports, imports and syncs, newest first')
    .option('--limit <n>', 'how many', '20')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(['export', 'import', 'sync']))
    .option('--account <id>', 'only the runs of this groupware account')
    .addHelpText('after', examples('crmsync runs', 'crmsync runs --kind sync --limit 5 --json'))
    .action(run<RunsOptions>((out, options) => runRuns(options, out)));

  program
    .command('undo')
    .description('put back what a committed run wrote, unless a record changed since')
    .argument('<run>', 'the run id, as crmsync runs lists it')
    .addHelpText('after', examples('crmsync runs --kind sync --limit 1', 'crmsync undo 3f6c2a9e-…'))
    .action(run((out, options, [planId]) => runUndo(planId ?? '', options, out)));

  const users = program
    .command('users')
    .description('the users who sign in to the API and the web client (kept in the state store)')
    .addHelpText(
      'after',
      examples('crmsync users create --admin anna', 'crmsync users list', 'crmsync users set-role ben admin'),
    );
  const passwordStdin = '--password-stdin';
  const passwordStdinHelp = 'read the password from the first line of standard input instead of a prompt';
  users
    .command('create')
    .description('create a user; the password is typed at a prompt, or read from standard input')
    .argument('<login>', 'the name to sign in with (letters, digits, . _ @ + -; any case)')
    .option('--admin', 'an administrator (the first user must be one)')
    .option(
      '--account <key>',
      'the groupware account the user works with: its id (as `crmsync accounts` lists it), its key, or its mailbox',
    )
    .option(passwordStdin, passwordStdinHelp)
    .addHelpText(
      'after',
      examples(
        'crmsync users create --admin anna',
        'printf \'%s\\n\' "$ADMIN_PASSWORD" | crmsync users create --admin anna --password-stdin',
        'crmsync users create ben --account ben@firma.de',
      ),
    )
    .action(run<UserCreateOptions>((out, options, [login]) => runUserCreate(login ?? '', options, out)));
  users
    .command('list')
    .description('list the users with their role and account')
    .addHelpText('after', examples('crmsync users list', 'crmsync users list --json'))
    .action(run((out, options) => runUserList(options, out)));
  users
    .command('set-role')
    .description('make a user an administrator, or an administrator a user (never the last one)')
    .argument('<login>', 'the user')
    .addArgument(new Argument('<role>', 'the new role').choices(['user', 'admin']))
    .addHelpText('after', examples('crmsync users set-role ben admin', 'crmsync users set-role anna user'))
    .action(
      run((out, options, [login, role]) =>
        runUserSetRole(login ?? '', role as 'user' | 'admin', options, out),
      ),
    );
  users
    .command('set-account')
    .description('bind a user to a groupware account (mailbox); without one, unbind them')
    .argument('<login>', 'the user')
    .argument('[account]', 'the account: its id, its key, or its mailbox')
    .addHelpText(
      'after',
      examples('crmsync users set-account ben ben@firma.de', 'crmsync users set-account ben'),
    )
    .action(run((out, options, [login, account]) => runUserSetAccount(login ?? '', account, options, out)));
  users
    .command('reset-password')
    .description(
      "set a user's password (typed at a prompt, or from standard input); signs them out everywhere",
    )
    .argument('<login>', 'the user')
    .option(passwordStdin, passwordStdinHelp)
    .addHelpText(
      'after',
      examples(
        'crmsync users reset-password ben',
        'crmsync users reset-password ben --password-stdin < pw.txt',
      ),
    )
    .action(run<PasswordSource>((out, options, [login]) => runUserResetPassword(login ?? '', options, out)));
  users
    .command('delete')
    .description('delete a user with their sessions and tokens (never the last administrator)')
    .argument('<login>', 'the user')
    .addHelpText('after', examples('crmsync users delete ben'))
    .action(run((out, options, [login]) => runUserDelete(login ?? '', options, out)));

  const tokens = program
    .command('tokens')
    .description('bearer tokens for API clients: created by an administrator, shown once, stored hashed')
    .addHelpText(
      'after',
      examples(
        'crmsync tokens create --user anna --name backup-script',
        'crmsync tokens list',
        'crmsync tokens revoke 5b0c…',
      ),
    );
  tokens
    .command('create')
    .description('create a token acting as a user; it is printed this once')
    .requiredOption('--user <login>', 'the user the token acts as (their role and plans)')
    .requiredOption('--name <name>', 'what the token is for, to recognise it in the list')
    .option('--expires-in <days>', 'days until the token stops working (none: until revoked)')
    .addHelpText(
      'after',
      examples(
        'crmsync tokens create --user anna --name reporting',
        'crmsync tokens create --user ben --name ci --expires-in 30 --json',
      ),
    )
    .action(run<TokenCreateOptions>((out, options) => runTokenCreate(options, out)));
  tokens
    .command('list')
    .description('list the tokens, newest first, without their secrets')
    .option('--user <login>', "only this user's tokens")
    .addHelpText('after', examples('crmsync tokens list', 'crmsync tokens list --user ben --json'))
    .action(run<{ user?: string }>((out, options) => runTokenList(options, out)));
  tokens
    .command('revoke')
    .description('revoke a token: requests with it are refused from now on')
    .argument('<id>', 'the token id, as crmsync tokens list shows it')
    .addHelpText('after', examples('crmsync tokens list', 'crmsync tokens revoke 5b0c…'))
    .action(run((out, options, [id]) => runTokenRevoke(id ?? '', options, out)));

  return program;
}

/** Commander's own usage errors (an unknown option, a missing argument) are bad input. */
export function exitCodeOfUsage(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
    return ExitCode.success;
  return ExitCode.badInput;
}
