import { type Contact, emptyContact, type Logger } from '../../../../core/index.js';
import {
  type GraphServer,
  type GraphServerOptions,
  startGraphServer,
} from '../../../../emulators/graph/index.js';
import { OutlookGraphConnector, type OutlookGraphOptions } from '../../src/outlook-graph-connector.js';

export const anna = 'anna@contoso.example';
export const ben = 'ben@contoso.example';

/** Waits are shortened a thousandfold so throttling tests take milliseconds, yet keep their order. */
export const quickSleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms / 1000, 20)));

/** A connector of one mailbox against the emulator, trusting exactly its certificate. */
export function connectorFor(
  server: GraphServer,
  overrides: Partial<OutlookGraphOptions> = {},
): OutlookGraphConnector {
  return new OutlookGraphConnector({
    tenantId: server.app.tenantId,
    clientId: server.app.clientId,
    clientSecret: server.app.clientSecret,
    mailbox: anna,
    contactFolder: 'CRM',
    graphBaseUrl: server.url,
    authorityHost: server.authorityHost,
    ca: server.ca,
    sleep: quickSleep,
    retry: { baseDelayMs: 10, maxDelayMs: 100, clientRetryDelaySeconds: 0 },
    ...overrides,
  });
}

export async function emulator(options: GraphServerOptions = {}): Promise<GraphServer> {
  return startGraphServer(options);
}

let serial = 0;
/** A contact as the CRM side exports it: named, stamped with a CRM id unique to this run. */
export function crmContact(surname: string, fields: Partial<Contact> = {}): Contact {
  return {
    ...emptyContact(),
    givenName: 'Konstanze',
    surname,
    ...fields,
    ids: { crmId: `AP-${Date.now().toString(36)}-${++serial}`, ...fields.ids },
  };
}

/** A logger that keeps warnings, so a test can see what was reported. */
export function recordingLogger(): Logger & { warnings: { obj: unknown; msg?: string }[] } {
  const warnings: { obj: unknown; msg?: string }[] = [];
  const logger = {
    warnings,
    debug() {},
    info() {},
    warn(obj: object | string, msg?: string) {
      warnings.push({ obj, ...(msg === undefined ? {} : { msg }) });
    },
    error() {},
    child: () => logger,
  };
  return logger;
}

const crmIdKey = 'string {6f1d3c2a-8b4e-4f5a-9c7d-2e0b1a3f4c5d} name crmsync-crm-id';

/** How many contacts of a mailbox carry each CRM id, read from the emulator's own store. */
export function crmIdCounts(server: GraphServer, user = anna): Map<string, number> {
  const counts = new Map<string, number>();
  for (const contact of server.store.mailbox(user).contacts.values()) {
    const crmId = contact.extended.get(crmIdKey)?.value;
    if (crmId) counts.set(crmId, (counts.get(crmId) ?? 0) + 1);
  }
  return counts;
}

export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}
