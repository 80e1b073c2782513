import type { ErrorCode } from './error-catalogue.js';

/**
 * Where a problem was found, precise enough that a person can open the file or record and
 * see it: every field is optional because each source knows a different part of it.
 */
export interface ProblemLocation {
  file?: string;
  /** 1-based card number within a vCard file. */
  card?: number;
  /** 1-based line number within a file. */
  line?: number;
  /** The model field or source property concerned, e.g. `EMAIL` or `emails[0].address`. */
  field?: string;
  /** JSON pointer into a JSON document (configuration, manifest, API record). */
  pointer?: string;
  endpoint?: string;
  recordId?: string;
}

/** A per-record problem that is reported while the rest of a batch or stream goes on. */
export interface RecordProblem {
  code: ErrorCode;
  message: string;
  location: ProblemLocation;
}

/**
 * One item of a stream that may contain bad records: either a value or the problem that
 * replaced it. Streams never throw for one bad record.
 */
export type Fetched<T> = { ok: true; value: T } | { ok: false; problem: RecordProblem };

export function describeLocation(location: ProblemLocation): string {
  const parts: string[] = [];
  if (location.file) parts.push(location.file);
  if (location.endpoint) parts.push(location.endpoint);
  if (location.card !== undefined) parts.push(`card ${location.card}`);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.recordId) parts.push(`record ${location.recordId}`);
  if (location.field) parts.push(`field ${location.field}`);
  if (location.pointer !== undefined) parts.push(`at ${location.pointer || '/'}`);
  return parts.join(', ');
}
