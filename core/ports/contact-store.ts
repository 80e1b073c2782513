import type { Contact } from '../domain/contact.js';
import type { Fetched } from '../domain/problem.js';
import type { ContactChange } from './contact-change.js';
import type { FieldSupport } from './field-support.js';
import type { HealthReport } from './health.js';
import type { CreateOperation, OperationSource, WriteOutcome } from './write-operation.js';

/**
 * What the CRM and the groupware have in common as stores of contacts: the side the sync
 * engine reads changes from and applies operations to. Every implementation runs the
 * conformance suite in `test/support/contact-store-conformance.ts`.
 */
export interface ContactStore {
  /**
   * The place this store syncs with, stable across restarts: the vCard folder's absolute path,
   * the CRM's base URL, the mailbox. Links and cursors are kept per groupware account
   * (`<connector id>:<accountKey>`), so two folders or two mailboxes never share a link.
   */
  readonly accountKey: string;
  readonly fieldSupport: FieldSupport;
  /** Whether the store is reachable and usable now; never throws. */
  health(): Promise<HealthReport>;
  getContact(id: string): Promise<Contact | undefined>;
  /**
   * Changes since `cursor` (everything, when absent), ending with a checkpoint to resume from.
   * A store that is missing or unreachable throws: it never looks empty, so a sync never
   * mistakes an unmounted folder for "every contact deleted". An expired cursor throws
   * `CRMSYNC_ERR_CURSOR_EXPIRED`.
   */
  changesSince(cursor?: string): AsyncIterable<Fetched<ContactChange>>;
  /**
   * Applies operations and yields one outcome per operation. Stores with a batch endpoint use
   * it; the others apply one at a time. An update, delete or photo write whose expected
   * version is missing or stale fails with `CRMSYNC_ERR_NO_VERSION` or `CRMSYNC_ERR_STALE_VERSION`.
   */
  apply(operations: OperationSource): AsyncIterable<WriteOutcome>;
  /**
   * The contact an earlier create of this operation made, if it happened (found by the stamp
   * the create leaves: the CRM id on the groupware side, the idempotency key on the CRM side),
   * so a resumed commit never creates a second copy.
   */
  findCreated(operation: CreateOperation): Promise<Contact | undefined>;
}
