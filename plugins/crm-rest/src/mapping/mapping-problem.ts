import type { ProblemLocation } from '../../../../core/index.js';

/**
 * One thing wrong with one record, found while mapping it. The mapper collects these; the
 * connector turns them into a per-record problem (read) or an error (write).
 */
export class MappingProblem extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly pointer: string,
  ) {
    super(message);
  }

  location(extra: ProblemLocation): ProblemLocation {
    return { ...extra, field: this.field, pointer: this.pointer };
  }
}
