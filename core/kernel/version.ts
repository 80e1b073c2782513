import { readFileSync } from 'node:fs';

function findPackageJson(): { version: string } {
  // The kernel runs from dist/core/kernel; package.json sits two or three levels up.
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8'));
      if (manifest.name === 'crmsync') return manifest;
    } catch {
      // not at this level
    }
  }
  throw new Error('crmsync package.json not found above the kernel');
}

/** The kernel's version, which every manifest's `engines.crmsync` range is checked against. */
export const kernelVersion: string = findPackageJson().version;
