export interface HealthReport {
  ok: boolean;
  /** Human-readable state, e.g. "reachable at http://127.0.0.1:4010 (43 ms)". */
  detail: string;
}
