import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system's temp folder, removed again by `dispose`. */
export class TempFolder {
  readonly path = mkdtempSync(join(tmpdir(), 'crmsync-vcard-'));

  join(...parts: string[]): string {
    return join(this.path, ...parts);
  }

  dispose(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
