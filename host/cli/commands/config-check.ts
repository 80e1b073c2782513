import { checkConfiguration } from '../config-check.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { configDirOf, type SessionOptions } from '../session.js';

/** `crmsync config check`: nothing is started; every file is read and every problem named. */
export async function runConfigCheck(options: SessionOptions, out: Output): Promise<number> {
  const configDir = configDirOf(options);
  const { files, problems } = checkConfiguration(configDir);
  for (const problem of problems) {
    const where = [
      problem.file,
      problem.line !== undefined ? `line ${problem.line}` : undefined,
      problem.pointer !== undefined ? `at ${problem.pointer || '/'}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    out.line(`${where}: ${problem.message} [${problem.code}]`);
  }
  out.line(
    problems.length === 0
      ? `${files.length} configuration files checked in ${configDir}: no problems.`
      : `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${new Set(problems.map((p) => p.file)).size} of ${files.length} files.`,
  );
  out.result({ configDir, files, problems });
  return problems.length === 0 ? ExitCode.success : ExitCode.configuration;
}
