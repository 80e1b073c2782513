export interface HealthReport {
  ok: boolean;
  /** Human-readable state, e.g. "reachable at http://127.0.0.1:4010 (43 ms)". */
  detail: string;
}

/** A change seen on one side since a cursor. `checkpoint` items say where to resume. */
export type ContactChange<TContact> =
  | { type: 'upserted'; contact: TContact }
  | { type: 'deleted'; id: string }
  | { type: 'checkpoint'; cursor: string };
