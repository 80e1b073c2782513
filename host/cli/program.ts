import { Command, type CommanderError, Option } from 'commander';
import { runConfigCheck } from './commands/config-check.js';
import { type ExportOptions, runExport } from './commands/export.js';
import { type ImportOptions, runImport } from './commands/import.js';
import { runPlugins } from './commands/plugins.js';
import { type RunsOptions, runRuns } from './commands/runs.js';
import { serve } from './commands/serve.js';
import { runSync, type SyncOptions } from './commands/sync.js';
import { runUndo } from './commands/undo.js';
import { ExitCode, exitCodeHelp } from './exit-codes.js';
import { Output } from './output.js';
import type { SessionOptions } from './session.js';

interface GlobalOptions extends SessionOptions {
  json?: boolean;
}

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
    .showHelpAfterError()
    // Usage errors are thrown rather than exiting, so they get the bad-input exit code.
    .exitOverride()
    .addHelpText(
      'after',
      `\n${exitCodeHelp}\n${examples('crmsync config check', 'crmsync export --query city=Köln --to vcard:koeln.vcf', 'crmsync import --from vcard:koeln.vcf --dry-run --json', 'crmsync sync --once')}`,
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
    .addHelpText('after', examples('crmsync serve', 'PORT=8080 crmsync serve'))
    .action(() => serve({ distinguishConfigurationErrors: true }));

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
    .description('sync the CRM with the configured groupware account')
    .option('--once', 'one run, then exit (the default)')
    .option('--watch', 'a run every --interval seconds until stopped with Ctrl-C')
    .option('--interval <seconds>', 'seconds between runs with --watch', '300')
    .option('--dry-run', 'show what a run would do; nothing is written')
    .addHelpText(
      'after',
      examples('crmsync sync --once', 'crmsync sync --dry-run --json', 'crmsync sync --watch --interval 60'),
    )
    .action(run<SyncOptions>((out, options) => runSync(options, out)));

  program
    .command('runs')
    .description('list the latest exports, imports and syncs, newest first')
    .option('--limit <n>', 'how many', '20')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(['export', 'import', 'sync']))
    .addHelpText('after', examples('crmsync runs', 'crmsync runs --kind sync --limit 5 --json'))
    .action(run<RunsOptions>((out, options) => runRuns(options, out)));

  program
    .command('undo')
    .description('put back what a committed run wrote, unless a record changed since')
    .argument('<run>', 'the run id, as crmsync runs lists it')
    .addHelpText('after', examples('crmsync runs --kind sync --limit 1', 'crmsync undo 3f6c2a9e-…'))
    .action(run((out, options, [planId]) => runUndo(planId ?? '', options, out)));

  return program;
}

/** Commander's own usage errors (an unknown option, a missing argument) are bad input. */
export function exitCodeOfUsage(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
    return ExitCode.success;
  return ExitCode.badInput;
}
