import { CrmsyncError } from '../domain/errors.js';
import { everyGroupwareField } from '../ports/field-support.js';
import type { GroupwareConnector } from '../ports/groupware-connector.js';
import { failedOutcome } from '../ports/write-operation.js';

/**
 * The groupware side of a commit that has none (an import from an uploaded file): every
 * write fails with a clear problem, so a step that should not be there cannot go unnoticed.
 */
export function unavailableGroupware(accountKey: string): GroupwareConnector {
  const refusal = () =>
    new CrmsyncError('CRMSYNC_ERR_GROUPWARE_UNAVAILABLE', 'this plan has no groupware to write to', {
      endpoint: accountKey,
    });
  const connector: GroupwareConnector = {
    accountKey,
    fieldSupport: everyGroupwareField,
    capabilities: { delta: false, photos: false, batch: false, stableExternalId: false },
    async health() {
      return { ok: false, detail: refusal().message };
    },
    async getContact() {
      return undefined;
    },
    async findByCrmId() {
      return undefined;
    },
    async findCreated() {
      return undefined;
    },
    // biome-ignore lint/correctness/useYield: refuses before producing anything
    async *listContacts() {
      throw refusal();
    },
    // biome-ignore lint/correctness/useYield: refuses before producing anything
    async *changesSince() {
      throw refusal();
    },
    async *apply(operations) {
      for await (const operation of operations)
        yield failedOutcome(operation, refusal(), { endpoint: accountKey }, () => false);
    },
    accounts: () => [connector],
  };
  return connector;
}
