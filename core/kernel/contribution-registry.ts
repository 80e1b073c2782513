import { CrmsyncError } from '../domain/errors.js';
import type { ContributionPoint } from './contribution-points.js';
import { type Disposable, toDisposable } from './disposable.js';
import type { ContributionDescriptor } from './manifest.js';

export interface RegisteredContribution {
  point: ContributionPoint;
  pluginId: string;
  descriptor: ContributionDescriptor;
}

/** Every contribution the manifests declare, by point and id. Duplicate keys are refused loudly. */
export class ContributionRegistry {
  private readonly entries = new Map<string, RegisteredContribution>();

  register(entry: RegisteredContribution, file: string, pointer: string): Disposable {
    const key = `${entry.point}:${entry.descriptor.id}`;
    const existing = this.entries.get(key);
    if (existing) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_CONTRIBUTION_DUPLICATE',
        `${entry.point} "${entry.descriptor.id}" is already contributed by plugin "${existing.pluginId}"`,
        { file, pointer },
      );
    }
    this.entries.set(key, entry);
    return toDisposable(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
  }

  find(point: ContributionPoint, id: string): RegisteredContribution | undefined {
    return this.entries.get(`${point}:${id}`);
  }

  list(point?: ContributionPoint): RegisteredContribution[] {
    return [...this.entries.values()].filter((entry) => !point || entry.point === point);
  }
}
