#!/usr/bin/env node
import { CommanderError } from 'commander';
import { CrmsyncError } from '../../core/index.js';
import { exitCodeOf } from './exit-codes.js';
import { buildProgram, exitCodeOfUsage } from './program.js';

// The exit code is set, not forced: output still in the pipes is written before the process ends.
const program = buildProgram((code) => {
  process.exitCode = code;
});
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = exitCodeOfUsage(error);
  } else {
    const message =
      error instanceof CrmsyncError
        ? `${error.code}: ${error.message}`
        : String((error as Error)?.stack ?? error);
    process.stderr.write(`crmsync: ${message}\n`);
    // A script asking for JSON gets the error as JSON too, with its code and where it lies.
    if (process.argv.includes('--json') && error instanceof CrmsyncError)
      process.stdout.write(
        `${JSON.stringify({ error: { code: error.code, message: error.reason, ...error.location } }, null, 2)}\n`,
      );
    process.exitCode = exitCodeOf(error);
  }
}
