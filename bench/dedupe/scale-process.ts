import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssMiB } from '../support/report.js';
import { type SureCount, scaleFigures } from './scale.js';

export interface ScaleResult extends SureCount {
  peakRssMiB: number;
}

/**
 * The scale figures measured in a process of their own, as a host builds its index: after the
 * accuracy sets in the same process, the collector took twice as long over the same build
 * (each young-generation collection some 7 ms instead of 3.6), which says something about the
 * benchmark's history, not about the index. The child prints its figures as they come.
 */
export function scaleInOwnProcess(crmSize: number, incomingSize: number): Promise<ScaleResult> {
  const resultFile = join(tmpdir(), `crmsync-dedupe-scale-${process.pid}.json`);
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), String(crmSize), String(incomingSize), resultFile],
    {
      stdio: 'inherit',
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the scale benchmark's process ended with ${code}`));
      try {
        resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as ScaleResult);
      } catch (error) {
        reject(error);
      } finally {
        rmSync(resultFile, { force: true });
      }
    });
  });
}

// Run as a script: measure, then leave the counts and the peak memory where the parent looks.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [crmSize, incomingSize, resultFile] = process.argv.slice(2);
  const sure = await scaleFigures(Number(crmSize), Number(incomingSize));
  writeFileSync(resultFile!, JSON.stringify({ ...sure, peakRssMiB: peakRssMiB() } satisfies ScaleResult));
}
