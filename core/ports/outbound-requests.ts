/** One request a plugin sent to a service outside crmsync (Microsoft Graph, a CRM), as it ended. */
export interface OutboundRequest {
  /** The service asked, as the plugin names it: `graph`, `crm`. */
  service: string;
  method: string;
  /** The HTTP status answered; undefined when no answer came (refused, reset, timed out). */
  status?: number;
  /** From sending the request until its answer arrived; 0 for one inside a batch, which took the batch's time. */
  seconds: number;
  /**
   * Carried inside another request (a JSON batch) with an answer of its own: counted as a
   * request the service answered, not as a round trip, which the batch is already.
   */
  inBatch?: boolean;
}

/**
 * Where a plugin reports each request it sends out, every retry its own request: for the
 * host's metrics (requests by status class, throttling answers, durations), never to steer
 * the plugin. Reporting costs the plugin nothing and cannot fail it.
 */
export interface OutboundRequests {
  ended(request: OutboundRequest): void;
}
