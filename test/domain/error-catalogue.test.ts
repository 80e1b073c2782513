import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { CrmsyncError, errorCatalogue, isErrorCode, statusOf } from '../../core/index.js';
import { repoRoot } from '../support/paths.js';

const sourceFolders = ['core', 'plugins', 'host', 'emulators', 'bench', 'scripts', 'test'];
const sourceFile = /\.(ts|js|mjs|html)$/;
// A whole code: a code that is only the start of one (`CRMSYNC_ERR_VCARD_` in a pattern) is not one.
const codePattern = /CRMSYNC_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*(?![A-Z0-9_$])/g;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (sourceFile.test(entry.name)) yield path;
  }
}

/** Every code the source tree mentions, with the first place each is mentioned. */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  for (const folder of sourceFolders) {
    for (const file of sourceFiles(join(repoRoot, folder))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          for (const [code] of line.matchAll(codePattern)) {
            if (!found.has(code)) found.set(code, `${relative(repoRoot, file)}:${index + 1}`);
          }
        });
    }
  }
  return found;
}

describe('The error catalogue', () => {
  it('lists every error code used anywhere in the source tree', () => {
    const codes = codesInSources();
    expect(codes.size, 'no codes found: is the source tree beside the compiled tests?').to.be.greaterThan(20);
    const missing = [...codes]
      .filter(([code]) => !isErrorCode(code))
      .map(([code, where]) => `${code} (${where})`);
    expect(missing, 'codes used but missing from core/domain/error-catalogue.ts').to.deep.equal([]);
  });

  it('gives every code an HTTP error status and a meaning', () => {
    for (const [code, { status, meaning }] of Object.entries(errorCatalogue)) {
      expect(code).to.match(/^CRMSYNC_ERR_[A-Z0-9]+(_[A-Z0-9]+)*$/);
      expect(status, code).to.be.within(400, 599);
      expect(meaning, code).to.match(/\w/);
    }
  });

  it('answers the status of a known code', () => {
    expect(statusOf('CRMSYNC_ERR_STALE_VERSION')).to.equal(412);
    expect(statusOf('CRMSYNC_ERR_CONTRIBUTION_UNKNOWN')).to.equal(404);
    expect(statusOf('CRMSYNC_ERR_CONTRIBUTION_FAILED')).to.equal(503);
    expect(statusOf('CRMSYNC_ERR_VCARD_TOO_LARGE')).to.equal(413);
  });

  it('answers 500 for a code it does not know, and does not count it as a code', () => {
    // Put together so that the source scan above does not count it as a code in use.
    expect(statusOf(['CRMSYNC_ERR', 'NEVER', 'DEFINED'].join('_'))).to.equal(500);
    expect(statusOf('toString')).to.equal(500);
    expect(isErrorCode('toString')).to.equal(false);
  });

  it('gives an error its code, its reason and where it happened', () => {
    const error = new CrmsyncError('CRMSYNC_ERR_CONFIG_INVALID', 'must be integer', {
      file: 'config/crmsync.json',
      pointer: '/host/port',
    });
    expect(error.code).to.equal('CRMSYNC_ERR_CONFIG_INVALID');
    expect(error.reason).to.equal('must be integer');
    expect(error.message).to.equal('must be integer (config/crmsync.json, at /host/port)');
  });
});
