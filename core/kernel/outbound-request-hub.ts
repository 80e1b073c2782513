import type { OutboundRequest, OutboundRequests } from '../ports/outbound-requests.js';

export type OutboundListener = (plugin: string, request: OutboundRequest) => void;

/**
 * The requests every plugin reports sending out, passed on to whoever listens (the host's
 * metrics), each named by the plugin that sent it: a plugin reports only under its own name.
 */
export class OutboundRequestHub {
  private readonly listeners = new Set<OutboundListener>();

  /** Answers the function that stops listening. */
  subscribe(listener: OutboundListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What one plugin's context reports through. */
  reporterFor(plugin: string): OutboundRequests {
    return {
      ended: (request) => {
        for (const listener of this.listeners) {
          try {
            listener(plugin, request);
          } catch {
            // A listener's failure is its own: the plugin's request went out and is done.
          }
        }
      },
    };
  }
}
